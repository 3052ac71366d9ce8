import { request } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import { type MockUpstream, startMockOpenAI } from '../mocks/openai';

let upstream: MockUpstream;
let engine: TestEngine | undefined;

beforeAll(async () => {
  upstream = await startMockOpenAI({ apiKey: 'sk-upstream-secret-abc123' });
});
afterEach(async () => {
  await engine?.stop();
  engine = undefined;
});
afterAll(async () => {
  await upstream.close();
});

const providerYaml = () =>
  `providers:\n  - {name: a, type: openai, api_key: sk-upstream-secret-abc123, endpoint: "${upstream.url}", models: [{name: m}]}\n`;

/** A raw request with a chosen Host header (fetch does not allow setting it). */
function rawGet(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: target.hostname, port: target.port, path: target.pathname, method: 'GET', headers },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => {
          body += chunk.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('DNS-rebinding and browser guards', () => {
  it('refuses a foreign Host on a loopback bind unless listed', async () => {
    engine = await startTestEngine(`allowed_hosts: [proxy.test]\n${providerYaml()}`);
    expect((await rawGet(`${engine.url}/v1/models`, { host: 'evil.example:8317' })).status).toBe(403);
    expect((await rawGet(`${engine.url}/v1/models`, { host: 'localhost:8317' })).status).toBe(200);
    expect((await rawGet(`${engine.url}/v1/models`, { host: 'proxy.test' })).status).toBe(200);
  });

  it('refuses browser origins unless listed, with no wildcard CORS', async () => {
    engine = await startTestEngine(`allowed_origins: ["https://app.example"]\n${providerYaml()}`);
    const evil = await fetch(`${engine.url}/v1/models`, { headers: { origin: 'https://evil.example' } });
    expect(evil.status).toBe(403);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    const good = await fetch(`${engine.url}/v1/models`, { headers: { origin: 'https://app.example' } });
    expect(good.status).toBe(200);
    expect(good.headers.get('access-control-allow-origin')).toBe('https://app.example');
    const preflight = await fetch(`${engine.url}/v1/chat/completions`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-headers': 'authorization' },
    });
    expect(preflight.status).toBe(204);
  });
});

describe('management API', () => {
  it('is off without management_secret', async () => {
    engine = await startTestEngine(providerYaml());
    expect((await fetch(`${engine.url}/v0/management/status`)).status).toBe(404);
  });

  it('wants the bearer secret and throttles failed attempts', async () => {
    engine = await startTestEngine(`management_secret: mgmt-secret-0123456789\n${providerYaml()}`);
    const url = `${engine.url}/v0/management/status`;
    const ok = await fetch(url, { headers: { authorization: 'Bearer mgmt-secret-0123456789' } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ running: true, cooldowns: [] });
    for (let i = 0; i < 5; i++)
      expect((await fetch(url, { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    const locked = await fetch(url, { headers: { authorization: 'Bearer mgmt-secret-0123456789' } });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('secrets never reach logs or error messages', () => {
  it('scrubs keys from logs and from upstream error bodies passed to the client', async () => {
    const secrets = ['sk-upstream-secret-abc123', 'sk-client-secret-xyz789', 'mgmt-secret-0123456789'];
    engine = await startTestEngine(
      `api_keys: [sk-client-secret-xyz789]\nmanagement_secret: mgmt-secret-0123456789\n${providerYaml()}`,
    );
    const auth = { authorization: 'Bearer sk-client-secret-xyz789', 'content-type': 'application/json' };
    upstream.enqueue({
      status: 401,
      body: {
        error: { message: 'Incorrect API key provided: sk-upstream-secret-abc123', code: 'invalid_api_key' },
      },
    });
    const bodies: string[] = [];
    const post = async (body: unknown, headers: Record<string, string> = auth) => {
      const res = await fetch(`${engine?.url}/v1/chat/completions`, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
      });
      bodies.push(await res.text());
    };
    await post({ model: 'm', messages: [{ role: 'user', content: 'hi' }] });
    await post(
      { model: 'm', messages: [{ role: 'user', content: 'hi' }] },
      { authorization: 'Bearer sk-wrong-key-zzz' },
    );
    await fetch(`${engine.url}/v0/management/status`, {
      headers: { authorization: 'Bearer mgmt-secret-0123456789' },
    });
    await engine.rewriteConfig('providers: [\n  {api_key: sk-upstream-secret-abc123\n');
    const everything = [...bodies, ...engine.logs].join('\n');
    expect(engine.logs.length).toBeGreaterThan(0);
    expect(bodies[0]).toContain('Incorrect API key provided');
    for (const secret of secrets) expect(everything).not.toContain(secret);
    expect(everything).not.toContain('sk-wrong-key-zzz');
  });
});

describe('config edits from the management API', () => {
  it('toggles a provider in config.yaml, keeps comments, and /v1/models follows', async () => {
    engine = await startTestEngine(`# mine\nmanagement_secret: mgmt-secret-0123456789\n${providerYaml()}`);
    const models = async () =>
      ((await (await fetch(`${engine?.url}/v1/models`)).json()) as { data: unknown[] }).data.length;
    expect(await models()).toBe(1);
    const res = await fetch(`${engine.url}/v0/management/providers/a/enabled`, {
      method: 'POST',
      headers: { authorization: 'Bearer mgmt-secret-0123456789', 'content-type': 'application/json' },
      body: JSON.stringify({ enabled: false }),
    });
    expect(res.status).toBe(200);
    const deadline = Date.now() + 3_000;
    while ((await models()) !== 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await models()).toBe(0);
    const { readFile } = await import('node:fs/promises');
    const text = await readFile(engine.configFile, 'utf8');
    expect(text).toContain('# mine');
    expect(text).toContain('enabled: false');
  });
});
