import { createParser } from 'eventsource-parser';
import { expect } from 'vitest';

/** The four APIs a client may speak to the proxy. */
export const CLIENT_FORMATS = ['openai-chat', 'openai-responses', 'claude', 'gemini'] as const;
export type ClientFormat = (typeof CLIENT_FORMATS)[number];

/** The three wire formats the API-key upstreams speak. */
export const UPSTREAM_FORMATS = ['openai-chat', 'claude', 'gemini'] as const;
export type UpstreamFormat = (typeof UPSTREAM_FORMATS)[number];

export interface ClientRequest {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** A one-turn request in the client's own API, asking `model` to answer `text`. */
export function clientRequest(
  format: ClientFormat,
  model: string,
  text: string,
  stream: boolean,
): ClientRequest {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  switch (format) {
    case 'openai-chat':
      return {
        path: '/v1/chat/completions',
        headers,
        body: JSON.stringify({ model, stream, messages: [{ role: 'user', content: text }] }),
      };
    case 'openai-responses':
      return { path: '/v1/responses', headers, body: JSON.stringify({ model, stream, input: text }) };
    case 'claude':
      return {
        path: '/v1/messages',
        headers: { ...headers, 'anthropic-version': '2023-06-01' },
        body: JSON.stringify({
          model,
          stream,
          max_tokens: 4096,
          messages: [{ role: 'user', content: text }],
        }),
      };
    case 'gemini':
      return {
        path: `/v1beta/models/${model}:${stream ? 'streamGenerateContent?alt=sse' : 'generateContent'}`,
        headers,
        body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text }] }] }),
      };
  }
}

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
}

/** Sends the request and reads the whole answer; a connection the proxy broke is reported, not thrown. */
export async function send(
  baseUrl: string,
  format: ClientFormat,
  model: string,
  text: string,
  stream: boolean,
  signal?: AbortSignal,
): Promise<Reply & { broken?: string }> {
  const request = clientRequest(format, model, text, stream);
  const res = await fetch(`${baseUrl}${request.path}`, {
    method: 'POST',
    headers: request.headers,
    body: request.body,
    ...(signal ? { signal } : {}),
  });
  try {
    return { status: res.status, headers: res.headers, text: await res.text() };
  } catch (error) {
    return { status: res.status, headers: res.headers, text: '', broken: (error as Error).message };
  }
}

/** What a client made of an answer: its text, whether it finished cleanly, the error it was told. */
export interface Understood {
  text: string;
  finished: boolean;
  error?: string;
}

function sseEvents(body: string): Array<{ event?: string; data: string }> {
  const events: Array<{ event?: string; data: string }> = [];
  const parser = createParser({
    onEvent: (e) => events.push({ ...(e.event ? { event: e.event } : {}), data: e.data }),
  });
  parser.feed(`${body}\n\n`);
  return events;
}

/** The value at a path inside parsed JSON, or undefined when any step is missing. */
export function at(value: unknown, ...path: Array<string | number>): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** Reads a stream the way each API's client does; garbled JSON throws (and fails the test). */
export function readStream(format: ClientFormat, body: string): Understood {
  const out: Understood = { text: '', finished: false };
  let done = false;
  for (const { data } of sseEvents(body)) {
    if (data === '[DONE]') {
      done = true;
      continue;
    }
    const event: unknown = JSON.parse(data);
    const type = at(event, 'type');
    switch (format) {
      case 'openai-chat':
        if (at(event, 'error')) out.error = text(at(event, 'error', 'message'));
        out.text += text(at(event, 'choices', 0, 'delta', 'content'));
        if (at(event, 'choices', 0, 'finish_reason')) out.finished = true;
        break;
      case 'openai-responses':
        if (type === 'response.output_text.delta') out.text += text(at(event, 'delta'));
        if (type === 'response.completed') done = out.finished = true;
        if (type === 'error') out.error = text(at(event, 'message'));
        if (type === 'response.failed') out.error = text(at(event, 'response', 'error', 'message'));
        break;
      case 'claude':
        if (type === 'content_block_delta' && at(event, 'delta', 'type') === 'text_delta')
          out.text += text(at(event, 'delta', 'text'));
        if (type === 'message_stop') done = out.finished = true;
        if (type === 'error') out.error = text(at(event, 'error', 'message'));
        break;
      case 'gemini':
        if (at(event, 'error')) out.error = text(at(event, 'error', 'message'));
        for (const part of list(at(event, 'candidates', 0, 'content', 'parts')))
          out.text += text(at(part, 'text'));
        if (at(event, 'candidates', 0, 'finishReason')) done = out.finished = true;
        break;
    }
  }
  out.finished = out.finished && done && out.error === undefined;
  return out;
}

/** The text of a complete (non-stream) answer in the client's format. */
export function readAnswer(format: ClientFormat, body: string): string {
  const json: unknown = JSON.parse(body);
  switch (format) {
    case 'openai-chat':
      return text(at(json, 'choices', 0, 'message', 'content'));
    case 'openai-responses':
      return list(at(json, 'output'))
        .flatMap((item) => (at(item, 'type') === 'message' ? list(at(item, 'content')) : []))
        .map((part) => (at(part, 'type') === 'output_text' ? text(at(part, 'text')) : ''))
        .join('');
    case 'claude':
      return list(at(json, 'content'))
        .map((block) => (at(block, 'type') === 'text' ? text(at(block, 'text')) : ''))
        .join('');
    case 'gemini':
      return list(at(json, 'candidates', 0, 'content', 'parts'))
        .map((part) => text(at(part, 'text')))
        .join('');
  }
}

/** Asserts the body is the client API's own error shape, and returns its message. */
export function expectErrorShape(format: ClientFormat, body: string): string {
  const json: unknown = JSON.parse(body);
  switch (format) {
    case 'claude':
      expect(json).toMatchObject({
        type: 'error',
        error: { type: expect.any(String), message: expect.any(String) },
      });
      return text(at(json, 'error', 'message'));
    case 'gemini':
      expect(json).toMatchObject({
        error: { code: expect.any(Number), message: expect.any(String), status: expect.any(String) },
      });
      return text(at(json, 'error', 'message'));
    default:
      expect(json).toMatchObject({ error: { message: expect.any(String), type: expect.any(String) } });
      return text(at(json, 'error', 'message'));
  }
}

/** A clear error in the client's format, with the given status. */
export function expectError(
  format: ClientFormat,
  reply: Reply,
  status: number | ((s: number) => boolean),
): string {
  if (typeof status === 'number') expect(reply.status).toBe(status);
  else expect(status(reply.status), `status ${reply.status}: ${reply.text.slice(0, 300)}`).toBe(true);
  const message = expectErrorShape(format, reply.text);
  expect(message.length).toBeGreaterThan(0);
  return message;
}

/** The full, correct answer: status 200 and exactly the expected text, cleanly finished when streamed. */
export function expectAnswer(format: ClientFormat, reply: Reply, stream: boolean, expected: string): void {
  expect(reply.status, reply.text.slice(0, 300)).toBe(200);
  if (!stream) {
    expect(readAnswer(format, reply.text)).toBe(expected);
    return;
  }
  const understood = readStream(format, reply.text);
  expect(understood.error).toBeUndefined();
  expect(understood.text).toBe(expected);
  expect(understood.finished).toBe(true);
}

/** A stream that broke after it started: what came is a prefix of the answer, then the format's error. */
export function expectBrokenStream(format: ClientFormat, reply: Reply, expectedPrefixOf: string): Understood {
  expect(reply.status).toBe(200);
  const understood = readStream(format, reply.text);
  expect(understood.finished).toBe(false);
  expect(understood.error, `no error event in: ${reply.text.slice(-400)}`).toEqual(expect.any(String));
  expect(expectedPrefixOf.startsWith(understood.text)).toBe(true);
  return understood;
}
