import { randomUUID } from 'node:crypto';
import { CODE_ASSIST_ENDPOINT } from '../../auth/code-assist';
import { isObj } from '../formats/json';
import type { ProviderDescriptor } from './types';
import { joinEndpoint } from './types';

/** Gemini through a Google account (Gemini CLI / Code Assist): Gemini bodies in a project envelope. */
export const geminiCliProvider: ProviderDescriptor = {
  type: 'gemini_cli',
  label: 'Gemini CLI (Google account)',
  format: 'gemini',
  defaultEndpoint: CODE_ASSIST_ENDPOINT,
  envelope: {
    wrap(body, { model, credential, provider }) {
      const project =
        provider.project_id ?? (credential.kind === 'oauth' ? credential.metadata?.project_id : undefined);
      return { model, ...(project ? { project } : {}), user_prompt_id: randomUUID(), request: body };
    },
    unwrap(body) {
      return isObj(body) && isObj(body.response) ? body.response : body;
    },
  },
  target(provider, call) {
    const token = call.credential.kind === 'oauth' ? call.credential.accessToken : call.credential.key;
    const method = call.stream ? 'streamGenerateContent' : 'generateContent';
    const url = new URL(joinEndpoint(provider.endpoint ?? CODE_ASSIST_ENDPOINT, `/v1internal:${method}`));
    if (call.stream) url.searchParams.set('alt', 'sse');
    return {
      url,
      headers: { ...provider.headers, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    };
  },
  healthTarget(provider) {
    return {
      url: joinEndpoint(provider.endpoint ?? CODE_ASSIST_ENDPOINT, '/v1internal:loadCodeAssist'),
      headers: {},
    };
  },
};
