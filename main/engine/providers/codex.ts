import { randomUUID } from 'node:crypto';
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
  healthTarget(provider) {
    return { url: joinEndpoint(provider.endpoint ?? CODEX_ENDPOINT, '/models'), headers: {} };
  },
};
