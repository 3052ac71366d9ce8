import type { ProviderHealth } from '../../../shared/status';
import type { ProviderConfig } from '../../config/schema';
import type { ProviderDescriptor } from '../providers/types';
import { callUpstream, describeNetworkError, egressProxy, type Timeouts } from '../upstream/http';

const HEALTH_TIMEOUTS: Timeouts = { connectMs: 5_000, firstByteMs: 10_000, idleMs: 10_000, totalMs: 15_000 };

/** One cheap authenticated GET (the models list, or the provider's `health_url`). */
export async function checkProvider(
  provider: ProviderConfig,
  descriptor: ProviderDescriptor,
  proxyUrl: string | undefined,
  redact: (text: string) => string,
): Promise<ProviderHealth> {
  const target = descriptor.healthTarget(provider);
  const url = provider.health_url ? new URL(provider.health_url) : target.url;
  const started = Date.now();
  try {
    const response = await callUpstream({
      url,
      method: 'GET',
      headers: target.headers,
      signal: AbortSignal.timeout(HEALTH_TIMEOUTS.totalMs),
      timeouts: HEALTH_TIMEOUTS,
      proxyUrl: egressProxy(provider, proxyUrl),
    });
    await response.body.dump();
    const ok = response.statusCode < 400;
    return {
      ok,
      status: response.statusCode,
      latencyMs: Date.now() - started,
      checkedAt: Date.now(),
      ...(ok ? {} : { error: `HTTP ${response.statusCode}` }),
    };
  } catch (error) {
    return {
      ok: false,
      status: null,
      latencyMs: Date.now() - started,
      checkedAt: Date.now(),
      error: redact(describeNetworkError(error)),
    };
  }
}
