import type { QuotaWindow } from '../../../shared/status';
import type { ProviderDescriptor } from './types';
import { joinEndpoint } from './types';

export const ANTHROPIC_VERSION = '2023-06-01';
export const OAUTH_BETA = 'oauth-2025-04-20';

export const claudeProvider: ProviderDescriptor = {
  type: 'claude',
  label: 'Anthropic Claude',
  format: 'claude',
  defaultEndpoint: 'https://api.anthropic.com',
  target(provider, call) {
    const headers: Record<string, string> = {
      ...provider.headers,
      'anthropic-version': ANTHROPIC_VERSION,
      'content-type': 'application/json',
    };
    // Claude clients opt into features (1M context, new tools) with anthropic-beta; keep their choice.
    const betas = String(call.clientHeaders['anthropic-beta'] ?? '')
      .split(',')
      .map((b) => b.trim())
      .filter(Boolean);
    if (call.credential.kind === 'api_key') headers['x-api-key'] = call.credential.key;
    else {
      // A Claude subscription token is accepted only with the OAuth beta flag the official CLI sends.
      headers.authorization = `Bearer ${call.credential.accessToken}`;
      if (!betas.includes(OAUTH_BETA)) betas.push(OAUTH_BETA);
    }
    if (betas.length > 0) headers['anthropic-beta'] = betas.join(',');
    return { url: joinEndpoint(provider.endpoint ?? 'https://api.anthropic.com', '/v1/messages'), headers };
  },
  quota: {
    target(provider, credential) {
      if (credential.kind !== 'oauth') return undefined;
      return {
        url: new URL(provider.oauth?.quota_url ?? 'https://api.anthropic.com/api/oauth/usage'),
        headers: {
          authorization: `Bearer ${credential.accessToken}`,
          'anthropic-beta': OAUTH_BETA,
          'anthropic-version': ANTHROPIC_VERSION,
          accept: 'application/json',
        },
      };
    },
    parse: parseClaudeUsage,
  },
  healthTarget(provider) {
    return {
      url: joinEndpoint(provider.endpoint ?? 'https://api.anthropic.com', '/v1/models'),
      headers: {
        ...provider.headers,
        'x-api-key': provider.api_key ?? '',
        'anthropic-version': ANTHROPIC_VERSION,
      },
    };
  },
};

const WINDOW_NAMES: Record<string, string> = {
  five_hour: '5h',
  seven_day: '7d',
  seven_day_opus: '7d opus',
  seven_day_sonnet: '7d sonnet',
};

/** Claude subscription usage: `{five_hour: {utilization (0-100), resets_at}, seven_day: {...}, ...}`. */
export function parseClaudeUsage(body: unknown): QuotaWindow[] {
  if (typeof body !== 'object' || body === null) return [];
  return Object.entries(body as Record<string, unknown>).flatMap(([key, value]) => {
    const window = value as { utilization?: unknown; resets_at?: unknown } | null;
    if (!window || typeof window.utilization !== 'number') return [];
    const resets = typeof window.resets_at === 'string' ? Date.parse(window.resets_at) : Number.NaN;
    return [
      {
        name: WINDOW_NAMES[key] ?? key,
        used_percent: window.utilization,
        ...(Number.isNaN(resets) ? {} : { resets_at: resets }),
      },
    ];
  });
}
