import type { QuotaWindow } from '../../../shared/status';
import type { ProviderDescriptor } from './types';
import { joinEndpoint } from './types';

export const KIRO_ENDPOINT = 'https://codewhisperer.us-east-1.amazonaws.com';

/** Kiro (AWS CodeWhisperer): its own body, AWS event-stream answers, always streamed. */
export const kiroProvider: ProviderDescriptor = {
  type: 'kiro',
  label: 'Kiro (AWS CodeWhisperer)',
  format: 'kiro',
  alwaysStreams: true,
  defaultEndpoint: KIRO_ENDPOINT,
  envelope: {
    wrap(body, { credential }) {
      const profileArn = credential.kind === 'oauth' ? credential.metadata?.profile_arn : undefined;
      return profileArn ? { ...body, profileArn } : body;
    },
    unwrap: (body) => body,
  },
  target(provider, call) {
    const token = call.credential.kind === 'oauth' ? call.credential.accessToken : call.credential.key;
    return {
      url: joinEndpoint(provider.endpoint ?? KIRO_ENDPOINT, '/generateAssistantResponse'),
      headers: {
        ...provider.headers,
        authorization: `Bearer ${token}`,
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'AmazonCodeWhispererStreamingService.GenerateAssistantResponse',
        accept: 'application/vnd.amazon.eventstream',
      },
    };
  },
  quota: {
    target(provider, credential) {
      if (credential.kind !== 'oauth') return undefined;
      const url = new URL(
        provider.oauth?.quota_url ?? `${provider.endpoint ?? KIRO_ENDPOINT}/getUsageLimits`,
      );
      url.searchParams.set('origin', 'AI_EDITOR');
      url.searchParams.set('resourceType', 'AGENTIC_REQUEST');
      if (credential.metadata?.profile_arn)
        url.searchParams.set('profileArn', credential.metadata.profile_arn);
      return {
        url,
        headers: { authorization: `Bearer ${credential.accessToken}`, accept: 'application/json' },
      };
    },
    parse: parseKiroUsage,
  },
  healthTarget(provider) {
    return { url: joinEndpoint(provider.endpoint ?? KIRO_ENDPOINT, '/'), headers: {} };
  },
};

/** Kiro usage limits: `usageBreakdownList` of {resourceType, currentUsage, usageLimit}, `nextDateReset` in seconds. */
export function parseKiroUsage(body: unknown): QuotaWindow[] {
  if (typeof body !== 'object' || body === null) return [];
  const b = body as { usageBreakdownList?: unknown; nextDateReset?: unknown };
  const reset =
    typeof b.nextDateReset === 'number'
      ? b.nextDateReset < 10_000_000_000
        ? b.nextDateReset * 1000
        : b.nextDateReset
      : undefined;
  if (!Array.isArray(b.usageBreakdownList)) return [];
  return b.usageBreakdownList.flatMap((raw) => {
    const u = raw as { resourceType?: unknown; currentUsage?: unknown; usageLimit?: unknown } | null;
    if (!u || typeof u.usageLimit !== 'number' || typeof u.currentUsage !== 'number') return [];
    return [
      {
        name: String(u.resourceType ?? 'requests').toLowerCase(),
        limit: u.usageLimit,
        remaining: Math.max(0, u.usageLimit - u.currentUsage),
        used_percent: u.usageLimit > 0 ? Math.round((u.currentUsage / u.usageLimit) * 1000) / 10 : 0,
        ...(reset !== undefined ? { resets_at: reset } : {}),
      },
    ];
  });
}
