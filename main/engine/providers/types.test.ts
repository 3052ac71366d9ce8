import { describe, expect, it } from 'vitest';
import { joinEndpoint } from './types';

describe('joinEndpoint', () => {
  it.each([
    ['https://api.openai.com', 'https://api.openai.com/v1/chat/completions'],
    ['https://api.openai.com/', 'https://api.openai.com/v1/chat/completions'],
    ['https://api.deepseek.com/v1', 'https://api.deepseek.com/v1/chat/completions'],
    ['https://openrouter.ai/api', 'https://openrouter.ai/api/v1/chat/completions'],
    ['https://openrouter.ai/api/v1/', 'https://openrouter.ai/api/v1/chat/completions'],
    ['http://127.0.0.1:9000', 'http://127.0.0.1:9000/v1/chat/completions'],
  ])('%s', (base, expected) => {
    expect(joinEndpoint(base, '/v1/chat/completions').toString()).toBe(expected);
  });

  it('does not mistake a longer segment for the path prefix', () => {
    expect(joinEndpoint('https://x.test/v10', '/v1/messages').toString()).toBe(
      'https://x.test/v10/v1/messages',
    );
  });
});
