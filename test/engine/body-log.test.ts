import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestBodies, RequestRecord } from '../../shared/records';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import { type MockUpstream, startMockOpenAI } from '../mocks/openai';

const secret = 'mgmt-secret-0123456789';
const mgmt = { authorization: `Bearer ${secret}` };
const upstreamKey = 'sk-upstream-key-0123456789';
/** A provider header's value (some gateways take an org token in a header of their own). */
const headerSecret = 'org-secret-value-98765';
let upstream: MockUpstream;
let engine: TestEngine;

async function startWith(extra: string): Promise<TestEngine> {
  const { mkdtemp } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const db = join(await mkdtemp(join(tmpdir(), 'cliproxy-bodies-')), 'usage.db');
  return startTestEngine(`
api_keys: [{key: sk-client-key-0123456789, name: laptop}]
management_secret: ${secret}
usage_db: ${db}
${extra}
providers:
  - {name: a, type: openai, api_key: ${upstreamKey}, endpoint: "${upstream.url}", headers: {X-Org-Token: ${headerSecret}}, models: [{name: gpt-4o-mini}]}
`);
}

beforeAll(async () => {
  upstream = await startMockOpenAI({ apiKey: upstreamKey });
  engine = await startWith('log_bodies: true\nlog_body_max_bytes: 2048');
});

afterAll(async () => {
  await engine.stop();
  await upstream.close();
});

const client = (target: TestEngine) =>
  new OpenAI({ baseURL: `${target.url}/v1`, apiKey: 'sk-client-key-0123456789', maxRetries: 0 });

async function newest(target: TestEngine): Promise<RequestRecord> {
  const { items } = (await (
    await fetch(`${target.url}/v0/management/requests?limit=1`, { headers: mgmt })
  ).json()) as { items: RequestRecord[] };
  if (!items[0]) throw new Error('no record');
  return items[0];
}

async function bodiesOf(target: TestEngine, id: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${target.url}/v0/management/requests/${id}/bodies`, { headers: mgmt });
  return { status: res.status, body: await res.json() };
}

describe('log_bodies', () => {
  it('keeps what the client sent and got, with secrets redacted', async () => {
    await client(engine).chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [
        {
          role: 'user',
          content: `my keys are ${upstreamKey} and sk-client-key-0123456789, org ${headerSecret}`,
        },
      ],
    });
    const record = await newest(engine);
    const { status, body } = await bodiesOf(engine, record.id);
    expect(status).toBe(200);
    const bodies = body as RequestBodies;
    expect(bodies).toMatchObject({ id: record.id, request_truncated: false, response_truncated: false });
    expect(bodies.request).toContain('"model":"gpt-4o-mini"');
    expect(bodies.request).toContain('my keys are [redacted] and [redacted], org [redacted]');
    expect(bodies.request).not.toContain(upstreamKey);
    expect(bodies.request).not.toContain(headerSecret);
    expect(JSON.parse(bodies.response ?? '')).toMatchObject({ object: 'chat.completion' });
  });

  it('keeps a streamed answer as the events the client got', async () => {
    const stream = await client(engine).chat.completions.create({
      model: 'gpt-4o-mini',
      stream: true,
      messages: [{ role: 'user', content: 'stream me' }],
    });
    for await (const _ of stream) {
      // drain
    }
    const bodies = (await bodiesOf(engine, (await newest(engine)).id)).body as RequestBodies;
    expect(bodies.response).toMatch(/^data: \{/);
    expect(bodies.response).toContain('data: [DONE]');
    expect(bodies.response_truncated).toBe(false);
  });

  it('cuts long bodies at log_body_max_bytes and says so', async () => {
    await client(engine).chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: `long ${'é'.repeat(3000)}` }],
    });
    const bodies = (await bodiesOf(engine, (await newest(engine)).id)).body as RequestBodies;
    expect(bodies).toMatchObject({ request_truncated: true, response_truncated: true });
    expect(Buffer.byteLength(bodies.request ?? '')).toBeLessThanOrEqual(2048);
    expect(bodies.request).not.toContain('\uFFFD');
  });

  it('keeps the bodies of a Gemini request too (its route runs through Express)', async () => {
    const res = await fetch(`${engine.url}/v1beta/models/gpt-4o-mini:generateContent`, {
      method: 'POST',
      headers: { 'x-goog-api-key': 'sk-client-key-0123456789', 'content-type': 'application/json' },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'from gemini' }] }] }),
    });
    expect(res.status).toBe(200);
    const bodies = (await bodiesOf(engine, (await newest(engine)).id)).body as RequestBodies;
    expect(bodies.request).toContain('from gemini');
    expect(JSON.parse(bodies.response ?? '')).toMatchObject({ candidates: expect.any(Array) });
  });

  it('keeps the error a refused request got', async () => {
    const res = await fetch(`${engine.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-client-key-0123456789', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'no-such-model', messages: [] }),
    });
    expect(res.status).toBe(404);
    const record = await newest(engine);
    const bodies = (await bodiesOf(engine, record.id)).body as RequestBodies;
    expect(JSON.parse(bodies.response ?? '')).toMatchObject({ error: { message: expect.any(String) } });
  });

  it('keeps nothing by default, and says so', async () => {
    const plain = await startWith('');
    try {
      await client(plain).chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'not kept' }],
      });
      const record = await newest(plain);
      const { status, body } = await bodiesOf(plain, record.id);
      expect(status).toBe(404);
      expect(JSON.stringify(body)).toContain('No bodies were kept');

      // Turned on from the Settings page: the config file changes and the next request is kept.
      const rpc = (method: string, input: unknown) =>
        fetch(`${plain.url}/v0/management/rpc/${method}`, {
          method: 'POST',
          headers: { ...mgmt, 'content-type': 'application/json' },
          body: JSON.stringify(input),
        }).then((res) => res.json() as Promise<Record<string, unknown>>);
      expect(await rpc('setLogBodies', { enabled: true })).toEqual({ enabled: true });
      for (let i = 0; i < 100 && (await rpc('getState', {})).logBodies !== true; i++)
        await new Promise((r) => setTimeout(r, 50));
      await client(plain).chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'kept now' }],
      });
      const kept = await bodiesOf(plain, (await newest(plain)).id);
      expect(kept.status).toBe(200);
      expect((kept.body as RequestBodies).request).toContain('kept now');
    } finally {
      await plain.stop();
    }
  });
});
