// The base URLs the Dashboard shows and the snippets the Connect page offers are what users paste
// into their tools: each is used here, as written, by the SDK it is meant for.
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpointsOf, KEY_PLACEHOLDER, snippetsFor } from '../../renderer/src/pages/connect/snippets';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import { type MockUpstream, startMockOpenAI } from '../mocks/openai';

const key = 'sk-setup-key-0123456789';
const model = 'gpt-4o-mini';
let upstream: MockUpstream;
let engine: TestEngine;

beforeAll(async () => {
  upstream = await startMockOpenAI({ apiKey: 'sk-upstream' });
  engine = await startTestEngine(`
api_keys: [${key}]
providers:
  - {name: oai, type: openai, api_key: sk-upstream, endpoint: "${upstream.url}", models: [{name: ${model}}]}
`);
});

afterAll(async () => {
  await engine.stop();
  await upstream.close();
});

const endpoint = (name: string) => {
  const found = endpointsOf(engine.url).find((e) => e.name === name);
  if (!found) throw new Error(`no ${name} endpoint`);
  return found.value;
};

describe('the Dashboard base URLs', () => {
  it('serve the OpenAI, Anthropic and Gemini SDKs as shown', async () => {
    const openai = new OpenAI({ baseURL: endpoint('OpenAI-compatible'), apiKey: key, maxRetries: 0 });
    const chat = await openai.chat.completions.create({
      model,
      messages: [{ role: 'user', content: 'one' }],
    });
    expect(chat.choices[0]?.message.content).toBe('Echo: one');

    const anthropic = new Anthropic({ baseURL: endpoint('Anthropic'), apiKey: key, maxRetries: 0 });
    const message = await anthropic.messages.create({
      model,
      max_tokens: 32,
      messages: [{ role: 'user', content: 'two' }],
    });
    expect(message.content[0]).toMatchObject({ type: 'text', text: 'Echo: two' });

    const gemini = new GoogleGenAI({ apiKey: key, httpOptions: { baseUrl: endpoint('Gemini') } });
    const answer = await gemini.models.generateContent({ model, contents: 'three' });
    expect(answer.text).toBe('Echo: three');
  });
});

describe('the Connect page snippets', () => {
  const snippets = () => snippetsFor(engine.url, model);

  it('give every OpenAI-style tool the URL the OpenAI SDK just used, the tools the model, and no real key', () => {
    const v1 = endpoint('OpenAI-compatible');
    const urlIn: Record<string, RegExp> = {
      cursor: /Override Base URL:\s+(\S+)/,
      cline: /Base URL:\s+(\S+)/,
      continue: /apiBase: (\S+)/,
      aider: /OPENAI_API_BASE=(\S+)/,
      'openai-sdk': /baseURL: '([^']+)'/,
    };
    for (const [id, pattern] of Object.entries(urlIn)) {
      const snippet = snippets().find((s) => s.id === id);
      expect(pattern.exec(snippet?.code ?? '')?.[1], id).toBe(v1);
      if (id !== 'openai-sdk') expect(snippet?.code, id).toContain(model);
    }
    for (const snippet of snippets()) {
      expect(snippet.code, snippet.id).toContain(KEY_PLACEHOLDER);
      expect(snippet.code, snippet.id).not.toContain(key);
    }
  });

  it('give the Anthropic and Gemini SDKs the base URLs the Dashboard shows', () => {
    const code = (id: string) => snippets().find((s) => s.id === id)?.code ?? '';
    expect(/baseURL: '([^']+)'/.exec(code('anthropic-sdk'))?.[1]).toBe(endpoint('Anthropic'));
    expect(/baseUrl: '([^']+)'/.exec(code('gemini-sdk'))?.[1]).toBe(endpoint('Gemini'));
  });
});
