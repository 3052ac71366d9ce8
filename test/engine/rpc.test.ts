import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methods } from '../../shared/contract';
import { startTestEngine, type TestEngine } from '../helpers/engine';
import { type MockUpstream, startMockOpenAI } from '../mocks/openai';

const waitForModels = async (url: string, done: (ids: string[]) => boolean) => {
  const deadline = Date.now() + 3_000;
  let ids: string[] = [];
  while (Date.now() < deadline) {
    ids = ((await (await fetch(`${url}/v1/models`)).json()) as { data: Array<{ id: string }> }).data.map(
      (m) => m.id,
    );
    if (done(ids)) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return ids;
};

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
      setProviderPriority: { provider: 'a', priority: 2 },
      checkProviderHealth: { provider: 'none' },
      endCooldowns: { account: 'none' },
      startLogin: { provider: 'a' },
      getLogin: { id: 'none' },
      cancelLogin: { id: 'none' },
      removeAccount: { id: 'none' },
      importKiroToken: { provider: 'none', text: '{}' },
      listAccountProjects: { id: 'none' },
      setAccountProject: { id: 'none', project: 'my-project-1' },
      validateConfig: { text: '' },
      saveConfigText: { text: 'providers: [' },
      queryUsage: { from: 0, to: Date.now(), bucket: 'day' },
      queryRequests: { limit: 5 },
      getRequestBodies: { id: 'r1' },
      setRunning: { running: true },
      setPrefs: { theme: 'dark' },
      setUsageRetention: { days: 30 },
      setLogBodies: { enabled: false },
      addProvider: { name: 'a', type: 'openai', api_key: 'k', models: [] },
      addSubscription: { name: 'a', type: 'claude' },
      removeProvider: { provider: 'none' },
      setModel: { provider: 'none', model: 'x', enabled: true },
      connectTool: { tool: 'codex' },
      undoConnectTool: { tool: 'claude-code' },
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

describe('provider and model edits from the dashboard', () => {
  it('adds an OpenAI-compatible aggregator that serves at once, then removes it', async () => {
    const aggregator = await startMockOpenAI({ apiKey: 'agg-key', models: ['llama-3'] });
    try {
      const added = await rpc('addProvider', {
        name: 'agg',
        type: 'openai_compatible',
        api_key: 'agg-key',
        endpoint: aggregator.url,
        models: [{ name: 'llama-3', alias: 'llama' }],
      });
      expect(added).toEqual({ status: 200, body: { provider: 'agg' } });
      expect(await waitForModels(engine.url, (ids) => ids.includes('llama'))).toContain('llama');
      const chat = await fetch(`${engine.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'llama', messages: [{ role: 'user', content: 'hi' }] }),
      });
      expect(chat.status).toBe(200);
      expect(aggregator.requests.at(-1)?.headers.authorization).toBe('Bearer agg-key');
      const text = await readFile(engine.configFile, 'utf8');
      expect(text).toContain("# the user's notes");
      expect(text).toContain('# added from the dashboard');
      expect((await rpc('removeProvider', { provider: 'agg' })).body).toEqual({ removed: true });
      expect(await waitForModels(engine.url, (ids) => !ids.includes('llama'))).not.toContain('llama');
    } finally {
      await aggregator.close();
    }
  });

  it('adds a subscription that shows up ready to sign in, then removes it', async () => {
    expect(await rpc('addSubscription', { name: 'my-copilot', type: 'copilot' })).toEqual({
      status: 200,
      body: { provider: 'my-copilot' },
    });
    const listed = async () =>
      ((await rpc('getState')).body.providers as Array<{ name: string; authType: string }>).find(
        (p) => p.name === 'my-copilot',
      );
    let entry = await listed();
    for (let i = 0; i < 100 && !entry; i++) {
      await new Promise((r) => setTimeout(r, 50));
      entry = await listed();
    }
    expect(entry?.authType).toBe('device_flow');
    expect(await readFile(engine.configFile, 'utf8')).toContain('auth_type: device_flow');
    expect((await rpc('removeProvider', { provider: 'my-copilot' })).body).toEqual({ removed: true });
  });

  it('validates the form before anything is written', async () => {
    const before = await readFile(engine.configFile, 'utf8');
    const noEndpoint = await rpc('addProvider', {
      name: 'x',
      type: 'openai_compatible',
      api_key: 'k',
      models: [],
    });
    expect(noEndpoint).toMatchObject({
      status: 400,
      body: { error: { message: expect.stringContaining('endpoint') } },
    });
    const duplicate = await rpc('addProvider', { name: 'a', type: 'openai', api_key: 'k', models: [] });
    expect(duplicate).toMatchObject({
      status: 500,
      body: { error: { message: expect.stringContaining('already exists') } },
    });
    const badName = await rpc('addProvider', { name: 'has space', type: 'openai', api_key: 'k', models: [] });
    expect(badName.status).toBe(400);
    expect(await readFile(engine.configFile, 'utf8')).toBe(before);
  });

  it('disables one model and renames another through aliases', async () => {
    const model = (await rpc('getState')).body.providers as Array<{ modelEntries: unknown[] }>;
    expect(model[0]?.modelEntries).toEqual([
      { name: 'gpt-4o-mini', alias: expect.any(String), enabled: true },
    ]);
    expect((await rpc('setModel', { provider: 'a', model: 'gpt-4o-mini', alias: 'small' })).status).toBe(200);
    expect(await waitForModels(engine.url, (ids) => ids.includes('small'))).toEqual(['small']);
    expect((await rpc('setModel', { provider: 'a', model: 'small', enabled: false })).status).toBe(200);
    expect(await waitForModels(engine.url, (ids) => ids.length === 0)).toEqual([]);
    await rpc('setModel', { provider: 'a', model: 'small', enabled: true });
    expect(await waitForModels(engine.url, (ids) => ids.includes('small'))).toEqual(['small']);
  });
});

describe('connecting tools', () => {
  it('points Claude Code and Codex at the proxy in the injected home, and undoes it', async () => {
    const claude = await rpc('connectTool', { tool: 'claude-code' });
    expect(claude.body).toMatchObject({ tool: 'claude-code', connected: true });
    const settings = JSON.parse(await readFile(join(engine.home, '.claude', 'settings.json'), 'utf8'));
    expect(settings.env).toEqual({ ANTHROPIC_BASE_URL: engine.url, ANTHROPIC_AUTH_TOKEN: 'cliproxy' });
    expect((await rpc('connectTool', { tool: 'codex' })).body).toMatchObject({ connected: true });
    expect(await readFile(join(engine.home, '.codex', 'config.toml'), 'utf8')).toContain(
      `base_url = "${engine.url}/v1"`,
    );
    const tools = (await rpc('getTools')).body.tools as Array<{ tool: string; connected: boolean }>;
    expect(tools.map((t) => [t.tool, t.connected])).toEqual([
      ['claude-code', true],
      ['codex', true],
    ]);
    expect((await rpc('undoConnectTool', { tool: 'claude-code' })).body).toMatchObject({ connected: false });
    expect(await readdir(join(engine.home, '.claude'))).toEqual([]);
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
