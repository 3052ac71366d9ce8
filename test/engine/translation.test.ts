import { createServer, type Server } from 'node:http';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import { startMockAnthropic } from '../mocks/anthropic';
import type { MockUpstream } from '../mocks/common';
import { startMockGemini } from '../mocks/gemini';
import { startMockOpenAI } from '../mocks/openai';

let openaiUp: MockUpstream;
let claudeUp: MockUpstream;
let geminiUp: MockUpstream;
let images: Server;
let imagesUrl: string;
let imagesInFlight = 0;
let imagesMostInFlight = 0;
let engine: TestEngine;
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001', 'hex');

beforeAll(async () => {
  [openaiUp, claudeUp, geminiUp] = await Promise.all([
    startMockOpenAI({ apiKey: 'o' }),
    startMockAnthropic({ apiKey: 'a' }),
    startMockGemini({ apiKey: 'g' }),
  ]);
  images = createServer((req, res) => {
    if (req.url?.startsWith('/six-mb.png')) {
      imagesInFlight++;
      imagesMostInFlight = Math.max(imagesMostInFlight, imagesInFlight);
      res.on('close', () => imagesInFlight--);
      res.writeHead(200, { 'content-type': 'image/png' });
      setTimeout(() => res.end(Buffer.alloc(6 * 1024 * 1024)), 20);
      return;
    }
    if (req.url === '/big.png') {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end(Buffer.alloc(21 * 1024 * 1024));
      return;
    }
    res.writeHead(req.url === '/cat.png' ? 200 : 404, { 'content-type': 'image/png' });
    res.end(req.url === '/cat.png' ? PNG : '');
  });
  await new Promise<void>((resolve) => images.listen(0, '127.0.0.1', resolve));
  imagesUrl = `http://127.0.0.1:${(images.address() as { port: number }).port}`;
  engine = await startTestEngine(`
request_retry: 0
providers:
  - {name: o, type: openai, api_key: o, endpoint: "${openaiUp.url}", models: [{name: gpt-4o, alias: to-openai}]}
  - {name: a, type: claude, api_key: a, endpoint: "${claudeUp.url}", models: [{name: claude-sonnet-4-5, alias: to-claude}]}
  - {name: g, type: gemini, api_key: g, endpoint: "${geminiUp.url}", models: [{name: gemini-2.5-flash, alias: to-gemini}]}
`);
});

afterAll(async () => {
  await engine.stop();
  await Promise.all([openaiUp.close(), claudeUp.close(), geminiUp.close()]);
  images.close();
});

const openai = () => new OpenAI({ baseURL: `${engine.url}/v1`, apiKey: 'x', maxRetries: 0 });
const anthropic = () => new Anthropic({ baseURL: engine.url, apiKey: 'x', maxRetries: 0 });

describe('upstream errors in the client’s own shape', () => {
  it('a Gemini 429 reaches an Anthropic client as rate_limit_error with Retry-After', async () => {
    geminiUp.enqueue({
      status: 429,
      headers: { 'retry-after': '30' },
      body: {
        error: {
          code: 429,
          message: 'Resource has been exhausted (e.g. check quota).',
          status: 'RESOURCE_EXHAUSTED',
        },
      },
    });
    const res = await fetch(`${engine.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({
        model: 'to-gemini',
        max_tokens: 50,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('30');
    expect(await res.json()).toEqual({
      type: 'error',
      error: { type: 'rate_limit_error', message: 'Resource has been exhausted (e.g. check quota).' },
    });
    engine.services.engine.routing.book.recordSuccess('g', 'gemini-2.5-flash');
  });

  it('a feature the target cannot express is a 400 naming the field', async () => {
    await expect(
      openai().chat.completions.create({
        model: 'to-claude',
        messages: [{ role: 'user', content: 'x' }],
        response_format: { type: 'json_schema', json_schema: { name: 'a', schema: { type: 'object' } } },
      }),
    ).rejects.toMatchObject({ status: 400, param: 'response_format' });
  });
});

describe('a stream broken midway', () => {
  it('ends an OpenAI client’s stream from Claude with an error chunk, not [DONE]', async () => {
    const ev = (type: string, data: object) =>
      `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
    claudeUp.enqueue({
      status: 200,
      sse: [
        ev('message_start', {
          message: {
            id: 'msg_1',
            type: 'message',
            role: 'assistant',
            model: 'c',
            content: [],
            usage: { input_tokens: 1, output_tokens: 1 },
          },
        }),
        ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
        ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'partial ' } }),
        ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'never' } }),
      ],
      resetAfterChunks: 3,
    });
    const res = await fetch(`${engine.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'to-claude', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    });
    const text = await res.text();
    expect(text).toContain('partial ');
    expect(text).toMatch(
      /data: \{"error":\{"message":"The upstream stream (broke|ended before message_stop)/,
    );
    expect(text).not.toContain('[DONE]');
  });

  it('ends an Anthropic client’s stream from OpenAI with event: error', async () => {
    const chunk = (content: string) =>
      `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;
    openaiUp.enqueue({ status: 200, sse: [chunk('half '), chunk('way')], resetAfterChunks: 2 });
    const stream = anthropic().messages.stream({
      model: 'to-openai',
      max_tokens: 50,
      messages: [{ role: 'user', content: 'hi' }],
    });
    await expect(stream.finalMessage()).rejects.toThrow(/upstream stream (broke|ended)/);
    // The broken stream cooled the account down; clear it for the next tests.
    expect(engine.services.engine.status().cooldowns.map((c) => c.account)).toContain('o');
    engine.services.engine.routing.book.recordSuccess('o', 'gpt-4o');
    engine.services.engine.routing.book.recordSuccess('a', 'claude-sonnet-4-5');
  });
});

describe('images for Gemini', () => {
  it('fetches an http image URL and sends it inline', async () => {
    const reply = await openai().chat.completions.create({
      model: 'to-gemini',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'what is it' },
            { type: 'image_url', image_url: { url: `${imagesUrl}/cat.png` } },
          ],
        },
      ],
    });
    expect(reply.choices[0]?.message.content).toBe('Echo: what is it');
    const body = geminiUp.requests.at(-1)?.body as
      | { contents: Array<{ parts: Array<Record<string, unknown>> }> }
      | undefined;
    const parts = body?.contents[0]?.parts ?? [];
    expect(parts[1]).toEqual({ inlineData: { mimeType: 'image/png', data: PNG.toString('base64') } });
  });

  it('refuses an image over the size cap, and a missing one, with a clear 400', async () => {
    for (const [path, words] of [
      ['/big.png', 'larger than 20 MB'],
      ['/missing.png', 'HTTP 404'],
    ] as const) {
      await expect(
        openai().chat.completions.create({
          model: 'to-gemini',
          messages: [
            { role: 'user', content: [{ type: 'image_url', image_url: { url: `${imagesUrl}${path}` } }] },
          ],
        }),
      ).rejects.toMatchObject({ status: 400, message: expect.stringContaining(words) });
    }
  });
});

describe('many image URLs for Gemini', () => {
  it('fetches a few at a time, and refuses with a 400 once they add up to more than 100 MB', async () => {
    const sent = geminiUp.requests.length;
    const urls = Array.from({ length: 20 }, (_, i) => `${imagesUrl}/six-mb.png?i=${i}`);
    await expect(
      openai().chat.completions.create({
        model: 'to-gemini',
        messages: [
          {
            role: 'user',
            content: urls.map((url) => ({ type: 'image_url' as const, image_url: { url } })),
          },
        ],
      }),
    ).rejects.toMatchObject({ status: 400, message: expect.stringContaining('add up to more than 100 MB') });
    expect(imagesMostInFlight).toBeGreaterThan(1);
    expect(imagesMostInFlight).toBeLessThanOrEqual(6);
    expect(geminiUp.requests.length).toBe(sent);
  });
});

describe('model lists and token counts per API', () => {
  it('answers GET /v1/models in Anthropic’s shape when asked by an Anthropic client', async () => {
    const list = await anthropic().models.list();
    expect(list.data.map((m) => m.id).sort()).toEqual(['to-claude', 'to-gemini', 'to-openai']);
  });

  it('counts tokens for Anthropic and Gemini clients', async () => {
    const count = await anthropic().messages.countTokens({
      model: 'to-openai',
      messages: [{ role: 'user', content: 'hello world' }],
    });
    expect(count.input_tokens).toBeGreaterThan(0);
    const res = await fetch(`${engine.url}/v1beta/models/to-claude:countTokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hello world' }] }] }),
    });
    expect(((await res.json()) as { totalTokens: number }).totalTokens).toBeGreaterThan(0);
  });

  it('answers a Gemini client without alt=sse with a streamed JSON array', async () => {
    const res = await fetch(`${engine.url}/v1beta/models/to-openai:streamGenerateContent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'array please' }] }] }),
    });
    expect(res.headers.get('content-type')).toContain('application/json');
    const chunks = JSON.parse(await res.text()) as Array<{
      candidates?: Array<{ content: { parts: Array<{ text?: string }> } }>;
    }>;
    const text = chunks
      .map((c) => c.candidates?.[0]?.content.parts.map((p) => p.text ?? '').join('') ?? '')
      .join('');
    expect(text).toBe('Echo: array please');
  });
});

describe('long prompts', () => {
  it('reach the upstream intact, whether or not their text needs escaping', async () => {
    const plain = `Summarize: ${'lorem ipsum '.repeat(12_000)}`;
    const escaped = `Quote "this"\n\tand \\ that ${'ü'.repeat(40_000)} 😀 ${'\u0001'.repeat(3)}`.repeat(3);
    const answer = await openai().chat.completions.create({
      model: 'to-claude',
      messages: [
        { role: 'system', content: plain },
        { role: 'user', content: escaped },
        { role: 'assistant', content: 'ok' },
        { role: 'user', content: plain },
      ],
    });
    expect(answer.choices[0]?.message.role).toBe('assistant');
    const sent = claudeUp.requests.at(-1)?.body as {
      system: unknown;
      messages: { role: string; content: unknown }[];
    };
    expect(JSON.stringify(sent.system)).toContain(JSON.stringify(plain));
    expect(JSON.stringify(sent.messages)).toContain(JSON.stringify(escaped));
    expect(JSON.stringify(sent.messages.at(-1))).toContain(JSON.stringify(plain));
  });
});
