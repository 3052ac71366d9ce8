import type { ProviderDescriptor } from './types';
import { joinEndpoint } from './types';

export const geminiProvider: ProviderDescriptor = {
  type: 'gemini',
  label: 'Google Gemini',
  format: 'gemini',
  defaultEndpoint: 'https://generativelanguage.googleapis.com',
  target(provider, call) {
    const method = call.stream ? 'streamGenerateContent' : 'generateContent';
    const model = encodeURIComponent(call.model);
    const url = new URL(
      joinEndpoint(
        provider.endpoint ?? 'https://generativelanguage.googleapis.com',
        `/v1beta/models/${model}:${method}`,
      ),
    );
    if (call.stream && call.sse) url.searchParams.set('alt', 'sse');
    const auth: Record<string, string> =
      call.credential.kind === 'api_key'
        ? { 'x-goog-api-key': call.credential.key }
        : { authorization: `Bearer ${call.credential.accessToken}` };
    return { url, headers: { ...provider.headers, ...auth, 'content-type': 'application/json' } };
  },
  healthTarget(provider) {
    return {
      url: joinEndpoint(provider.endpoint ?? 'https://generativelanguage.googleapis.com', '/v1beta/models'),
      headers: { ...provider.headers, 'x-goog-api-key': provider.api_key ?? '' },
    };
  },
};
