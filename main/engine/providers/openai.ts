import type { ProviderConfig } from '../../config/schema';
import { apiKeyCredential, type Credential, joinEndpoint, type ProviderDescriptor } from './types';

const base = (provider: ProviderConfig) => provider.endpoint ?? 'https://api.openai.com';
const headers = (provider: ProviderConfig, credential: Credential = apiKeyCredential(provider)) => ({
  ...provider.headers,
  authorization: `Bearer ${credential.kind === 'api_key' ? credential.key : credential.accessToken}`,
  'content-type': 'application/json',
});

function openAIStyle(type: 'openai' | 'openai_compatible', label: string): ProviderDescriptor {
  return {
    type,
    label,
    format: 'openai-chat',
    defaultEndpoint: type === 'openai' ? 'https://api.openai.com' : undefined,
    target(provider, call) {
      return {
        url: joinEndpoint(base(provider), '/v1/chat/completions'),
        headers: headers(provider, call.credential),
      };
    },
    healthTarget(provider) {
      return { url: joinEndpoint(base(provider), '/v1/models'), headers: headers(provider) };
    },
  };
}

export const openaiProvider = openAIStyle('openai', 'OpenAI');
export const openaiCompatibleProvider = openAIStyle('openai_compatible', 'OpenAI-compatible');
