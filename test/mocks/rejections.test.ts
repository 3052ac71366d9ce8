import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockAnthropic } from './anthropic';
import type { MockUpstream } from './common';
import { startMockGemini } from './gemini';
import { startMockOpenAI } from './openai';

/** The mocks must reject what the real APIs reject, or the conformance tests prove nothing. */
let openai: MockUpstream;
let anthropic: MockUpstream;
let gemini: MockUpstream;

beforeAll(async () => {
  [openai, anthropic, gemini] = await Promise.all([
    startMockOpenAI({ apiKey: 'k' }),
    startMockAnthropic({ apiKey: 'k' }),
    startMockGemini({ apiKey: 'k' }),
  ]);
});
afterAll(async () => {
  await Promise.all([openai.close(), anthropic.close(), gemini.close()]);
});

const post = async (url: string, headers: Record<string, string>, body: unknown) => {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe('mock Anthropic', () => {
  const send = (
    body: unknown,
    headers: Record<string, string> = { 'x-api-key': 'k', 'anthropic-version': '2023-06-01' },
  ) => post(`${anthropic.url}/v1/messages`, headers, body);
  const user = { role: 'user', content: 'hi' };

  it.each([
    ['no max_tokens', { model: 'm', messages: [user] }, 'max_tokens'],
    [
      'a system role',
      { model: 'm', max_tokens: 10, messages: [{ role: 'system', content: 'x' }, user] },
      'role',
    ],
    [
      'a tool_result without its tool_use',
      {
        model: 'm',
        max_tokens: 10,
        messages: [
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_x', content: 'r' }] },
        ],
      },
      'tool_use',
    ],
    [
      'a tool_use without its result',
      {
        model: 'm',
        max_tokens: 10,
        messages: [
          user,
          { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'f', input: {} }] },
          user,
        ],
      },
      'tool_result',
    ],
    [
      'an id with dots',
      {
        model: 'm',
        max_tokens: 10,
        messages: [
          user,
          { role: 'assistant', content: [{ type: 'tool_use', id: 'call.1', name: 'f', input: {} }] },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call.1', content: 'r' }] },
        ],
      },
      'pattern',
    ],
    [
      'temperature above 1',
      { model: 'm', max_tokens: 10, temperature: 1.5, messages: [user] },
      'temperature',
    ],
    [
      'a thinking budget over max_tokens',
      { model: 'm', max_tokens: 100, thinking: { type: 'enabled', budget_tokens: 2000 }, messages: [user] },
      'budget_tokens',
    ],
  ])('rejects %s', async (_case, body, words) => {
    const res = await send(body);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain(words);
    expect(res.body.type).toBe('error');
  });

  it('rejects a missing key and a missing anthropic-version', async () => {
    expect((await send({}, { 'anthropic-version': '2023-06-01' })).status).toBe(401);
    expect((await send({}, { 'x-api-key': 'k' })).status).toBe(400);
  });
});

describe('mock Gemini', () => {
  const send = (body: unknown) =>
    post(`${gemini.url}/v1beta/models/g:generateContent`, { 'x-goog-api-key': 'k' }, body);
  const user = { role: 'user', parts: [{ text: 'hi' }] };

  it.each([
    ['a role other than user/model', { contents: [{ role: 'assistant', parts: [{ text: 'x' }] }] }, 'role'],
    ['empty parts', { contents: [{ role: 'user', parts: [] }] }, 'parts'],
    [
      'a functionResponse without a name',
      {
        contents: [
          user,
          { role: 'model', parts: [{ functionCall: { name: 'f', args: {} } }] },
          { role: 'user', parts: [{ functionResponse: { response: {} } }] },
        ],
      },
      'name',
    ],
    [
      'a string functionResponse',
      {
        contents: [
          user,
          { role: 'model', parts: [{ functionCall: { name: 'f', args: {} } }] },
          { role: 'user', parts: [{ functionResponse: { name: 'f', response: 'ok' } }] },
        ],
      },
      'response',
    ],
    [
      'fewer responses than calls',
      {
        contents: [
          user,
          {
            role: 'model',
            parts: [{ functionCall: { name: 'f', args: {} } }, { functionCall: { name: 'f', args: {} } }],
          },
          { role: 'user', parts: [{ functionResponse: { name: 'f', response: {} } }] },
        ],
      },
      'number of function response parts',
    ],
    [
      'additionalProperties in a schema',
      {
        contents: [user],
        tools: [
          {
            functionDeclarations: [
              { name: 'f', parameters: { type: 'object', additionalProperties: false } },
            ],
          },
        ],
      },
      'additionalProperties',
    ],
  ])('rejects %s', async (_case, body, words) => {
    const res = await send(body);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain(words);
    expect((res.body.error as { status: string }).status).toBe('INVALID_ARGUMENT');
  });
});

describe('mock OpenAI', () => {
  const send = (body: unknown) =>
    post(`${openai.url}/v1/chat/completions`, { authorization: 'Bearer k' }, body);

  it.each([
    ['no messages', { model: 'm' }],
    [
      'a tool message without its call',
      { model: 'm', messages: [{ role: 'tool', tool_call_id: 'x', content: 'r' }] },
    ],
    [
      'a call left unanswered',
      {
        model: 'm',
        messages: [
          {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }],
          },
          { role: 'user', content: 'x' },
        ],
      },
    ],
    [
      'an id over 40 characters',
      {
        model: 'm',
        messages: [
          {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: 'c'.repeat(41), type: 'function', function: { name: 'f', arguments: '{}' } }],
          },
        ],
      },
    ],
  ])('rejects %s', async (_case, body) => {
    const res = await send(body);
    expect(res.status).toBe(400);
    expect(res.body.error).toBeDefined();
  });
});
