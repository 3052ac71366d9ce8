import type { ProviderDescriptor } from './types';
import { joinEndpoint } from './types';

function openAIStyle(type: 'openai' | 'openai_compatible', label: string): ProviderDescriptor {
  return {
    type,
    label,
    format: 'openai-chat',
    defaultEndpoint: type === 'openai' ? 'https://api.openai.com' : undefined,
    target(provider) {
      const base = provider.endpoint ?? 'https://api.openai.com';
      return {
        url: joinEndpoint(base, '/v1/chat/completions'),
        headers: {
          ...provider.headers,
          authorization: `Bearer ${provider.api_key ?? ''}`,
          'content-type': 'application/json',
        },
      };
    },
  };
}

export const openaiProvider = openAIStyle('openai', 'OpenAI');
export const openaiCompatibleProvider = openAIStyle('openai_compatible', 'OpenAI-compatible');
