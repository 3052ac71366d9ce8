import { describe, expect, it } from 'vitest';
import { pathHint } from './path-hint';

describe('pathHint', () => {
  it('names the path meant when a base URL lacks /v1 or /v1beta', () => {
    expect(pathHint('/chat/completions')).toEqual({
      path: '/v1/chat/completions',
      fix: 'add /v1 to the end of the client’s base URL',
    });
    expect(pathHint('/messages')?.path).toBe('/v1/messages');
    expect(pathHint('/models/gemini-2.5-pro:streamGenerateContent')?.path).toBe(
      '/v1beta/models/gemini-2.5-pro:streamGenerateContent',
    );
  });

  it('names the path meant when the base URL has /v1 and the client adds its own', () => {
    expect(pathHint('/v1/v1/messages')).toEqual({
      path: '/v1/messages',
      fix: 'the client adds /v1 itself, so remove /v1 from the end of its base URL',
    });
    expect(pathHint('/v1beta/v1beta/models/g:generateContent')?.path).toBe(
      '/v1beta/models/g:generateContent',
    );
  });

  it('says nothing about paths that are simply unknown', () => {
    expect(pathHint('/v1/embeddingz')).toBeUndefined();
    expect(pathHint('/chat')).toBeUndefined();
    expect(pathHint('/')).toBeUndefined();
  });
});
