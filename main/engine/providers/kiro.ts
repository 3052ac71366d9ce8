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
  healthTarget(provider) {
    return { url: joinEndpoint(provider.endpoint ?? KIRO_ENDPOINT, '/'), headers: {} };
  },
};
