import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methods } from '../../shared/contract';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import { type MockUpstream, startMockOpenAI } from '../mocks/openai';

let upstream: MockUpstream;
let engine: TestEngine;
const secret = 'mgmt-secret-0123456789';

beforeAll(async () => {
  upstream = await startMockOpenAI({ apiKey: 'k' });
  engine = await startTestEngine(
    `# the user's notes\nmanagement_secret: ${secret}\nproviders:\n  - {name: a, type: openai, api_key: k, endpoint: "${upstream.url}", models: [{name: gpt-4o-mini, alias: mini}]}\n`,
  );
});
afterAll(async () => {
  await engine.stop();
  await upstream.close();
});

const rpc = async (method: string, body: unknown = {}) => {
  const res = await fetch(`${engine.url}/v0/management/rpc/${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe('the UI contract over HTTP (the browser bridge)', () => {
  it('answers getState with status, providers and accounts', async () => {
    const { status, body } = await rpc('getState');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      status: { running: true },
      providers: [{ name: 'a', enabled: true, models: ['mini'] }],
      accounts: [],
    });
  });

  it('validates config text with issues at their line, and never saves an invalid one', async () => {
    const before = await readFile(engine.configFile, 'utf8');
    const bad = await rpc('saveConfigText', { text: 'port: 8317\nproviders: [\n' });
    expect(bad.body).toMatchObject({
      ok: false,
      issues: [expect.objectContaining({ line: expect.any(Number) })],
    });
    expect(await readFile(engine.configFile, 'utf8')).toBe(before);
    const check = await rpc('validateConfig', { text: 'routing_strategy: nope\n' });
    expect(check.body).toMatchObject({ ok: false, issues: [{ path: 'routing_strategy', line: 1 }] });
  });

  it('saves a valid config, which the watcher then applies', async () => {
    const text = (await rpc('getConfigText')).body.text as string;
    const saved = await rpc('saveConfigText', { text: text.replace('alias: mini', 'alias: tiny') });
    expect(saved.body).toEqual({ ok: true, issues: [] });
    const deadline = Date.now() + 3_000;
    let ids: string[] = [];
    while (!ids.includes('tiny') && Date.now() < deadline) {
      ids = (
        (await (await fetch(`${engine.url}/v1/models`)).json()) as { data: Array<{ id: string }> }
      ).data.map((m) => m.id);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(ids).toEqual(['tiny']);
    expect(await readFile(engine.configFile, 'utf8')).toContain("# the user's notes");
  });

  it('refuses invalid payloads and unknown methods with an error envelope', async () => {
    expect(await rpc('setProviderEnabled', { provider: 'a', enabled: 'yes' })).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_input', message: expect.stringContaining('enabled') } },
    });
    expect(await rpc('dropDatabase')).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    expect((await fetch(`${engine.url}/v0/management/rpc/getState`, { method: 'POST' })).status).toBe(401);
  });

  it('answers every method of the contract', async () => {
    const inputs: Record<string, unknown> = {
      setProviderEnabled: { provider: 'a', enabled: true },
      startLogin: { provider: 'a' },
      getLogin: { id: 'none' },
      cancelLogin: { id: 'none' },
      removeAccount: { id: 'none' },
      validateConfig: { text: '' },
      saveConfigText: { text: 'providers: [' },
      queryUsage: { from: 0, to: Date.now(), bucket: 'day' },
      queryRequests: { limit: 5 },
      setRunning: { running: true },
      setPrefs: { theme: 'dark' },
    };
    for (const method of Object.keys(methods)) {
      const { status, body } = await rpc(method, inputs[method] ?? {});
      // Every method is bound: it either answers or fails inside (an envelope with code 'failed'), never 404.
      expect(status, method).not.toBe(404);
      if (status !== 200) expect((body.error as { code: string }).code, method).toBe('failed');
    }
  });

  it('keeps app preferences in prefs.json beside the config and rejects unknown keys', async () => {
    expect((await rpc('getPrefs')).body).toMatchObject({ launchAtLogin: false });
    expect((await rpc('setPrefs', { theme: 'light' })).body).toMatchObject({ theme: 'light' });
    const stored = JSON.parse(await readFile(join(dirname(engine.configFile), 'prefs.json'), 'utf8'));
    expect(stored.theme).toBe('light');
    expect((await rpc('setPrefs', { theme: 'neon' })).status).toBe(400);
    expect((await rpc('setPrefs', { windowBounds: {} })).status).toBe(400);
  });

  it('hands out the first client key and refuses to quit a headless engine', async () => {
    expect((await rpc('getClientKey')).body).toEqual({ key: null, name: null });
    const quit = await rpc('quitApp');
    expect(quit.body).toMatchObject({
      error: { code: 'failed', message: expect.stringContaining('desktop app') },
    });
    expect((await fetch(`${engine.url}/healthz`)).status).toBe(200);
  });

  it('reports where the data lives and how secrets are protected', async () => {
    const { body } = await rpc('getState');
    expect(body).toMatchObject({
      shell: 'browser',
      secretsProtection: 'file-permissions',
      paths: { config: engine.configFile, usageDb: expect.stringContaining('usage.db') },
    });
  });
});

describe("setRunning (the tray's Start/Stop proxy)", () => {
  it('stops and restarts the listener, telling listeners each time', async () => {
    const other = await startTestEngine('providers: []\n');
    try {
      const seen: boolean[] = [];
      other.services.engine.on('stateChanged', (status) => seen.push(status.running));
      expect(await other.services.api.setRunning({ running: false })).toEqual({ running: false, url: null });
      await expect(fetch(`${other.url}/healthz`)).rejects.toThrow();
      const started = await other.services.api.setRunning({ running: true });
      expect(started.running).toBe(true);
      expect((await fetch(`${started.url}/v1/models`)).status).toBe(200);
      expect(seen).toEqual([false, true]);
    } finally {
      await other.stop();
    }
  });
});
