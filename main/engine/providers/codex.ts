import { randomUUID } from 'node:crypto';
import type { QuotaWindow } from '../../../shared/status';
import type { ProviderDescriptor } from './types';
import { joinEndpoint } from './types';

export const CODEX_ENDPOINT = 'https://chatgpt.com/backend-api/codex';

/** ChatGPT's Codex backend: the Responses API, always streamed, with the account and client named. */
export const codexProvider: ProviderDescriptor = {
  type: 'codex',
  label: 'OpenAI Codex (ChatGPT)',
  format: 'openai-responses',
  alwaysStreams: true,
  defaultEndpoint: CODEX_ENDPOINT,
  target(provider, call) {
    const token = call.credential.kind === 'oauth' ? call.credential.accessToken : call.credential.key;
    const accountId = call.credential.kind === 'oauth' ? call.credential.metadata?.account_id : undefined;
    return {
      url: joinEndpoint(provider.endpoint ?? CODEX_ENDPOINT, '/responses'),
      headers: {
        ...provider.headers,
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        accept: 'text/event-stream',
        originator: 'codex_cli_rs',
        'openai-beta': 'responses=experimental',
        session_id: randomUUID(),
        ...(accountId ? { 'chatgpt-account-id': accountId } : {}),
      },
    };
  },
  quota: {
    target(provider, credential) {
      if (credential.kind !== 'oauth') return undefined;
      const accountId = credential.metadata?.account_id;
      return {
        url: new URL(provider.oauth?.quota_url ?? 'https://chatgpt.com/backend-api/wham/usage'),
        headers: {
          authorization: `Bearer ${credential.accessToken}`,
          accept: 'application/json',
          ...(accountId ? { 'chatgpt-account-id': accountId } : {}),
        },
      };
    },
    parse: parseCodexUsage,
  },
  healthTarget(provider) {
    return { url: joinEndpoint(provider.endpoint ?? CODEX_ENDPOINT, '/models'), headers: {} };
  },
};

/** ChatGPT's Codex usage: `rate_limit.primary_window` / `secondary_window` with used percent and reset. */
export function parseCodexUsage(body: unknown, now = Date.now()): QuotaWindow[] {
  const limits = (body as { rate_limit?: Record<string, unknown> } | null)?.rate_limit;
  if (!limits) return [];
  return (['primary_window', 'secondary_window'] as const).flatMap((key) => {
    const w = limits[key] as
      | { used_percent?: unknown; limit_window_seconds?: unknown; reset_after_seconds?: unknown }
      | null
      | undefined;
    if (!w || typeof w.used_percent !== 'number') return [];
    const seconds = typeof w.limit_window_seconds === 'number' ? w.limit_window_seconds : undefined;
    const name =
      seconds === undefined
        ? key.replace('_window', '')
        : seconds >= 86_400
          ? `${Math.round(seconds / 86_400)}d`
          : `${Math.round(seconds / 3600)}h`;
    return [
      {
        name,
        used_percent: w.used_percent,
        ...(typeof w.reset_after_seconds === 'number'
          ? { resets_at: now + w.reset_after_seconds * 1000 }
          : {}),
      },
    ];
  });
}
