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
