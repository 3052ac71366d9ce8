import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killAllSpawned, repoRoot, type Spawned, spawnCli } from './helpers/process';
import { type MockUpstream, startMockOpenAI } from './mocks/openai';

// The bundled Electron main process (dist/main/app.mjs) booted under plain Node with a recording
// stand-in for Electron (test/electron-stub): proves the real wiring — services, IPC binding, tray,
// windows, deep links — wherever no Electron binary can be downloaded.
const RENDERER = pathToFileURL(join(repoRoot, 'dist/renderer/index.html')).toString();
let upstream: MockUpstream;
let home: string;
let run: Spawned;
let control: string;

const AUTH = { authorization: 'Bearer sk-local-e2e' };
type LogEntry = { type: string; [key: string]: unknown };
const post = async (path: string, body: unknown = {}) =>
  (
    await fetch(`${control}${path}`, { method: 'POST', body: JSON.stringify(body) })
  ).json() as Promise<unknown>;
const entries = async () => (await post('/log')) as LogEntry[];
const invoke = (method: string, payload: unknown = {}, frameUrl: string | null = `${RENDERER}#/dashboard`) =>
  post('/invoke', { channel: `cliproxy:${method}`, payload, frameUrl }) as Promise<Record<string, unknown>>;

async function until<T>(read: () => Promise<T | undefined>, what: string, ms = 5_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${run.stderr()}`);
    await new Promise((r) => setTimeout(r, 30));
  }
}

const lastMenu = async () =>
  (await entries()).filter((e) => e.type === 'trayMenu').at(-1)?.items as
    | Array<Record<string, unknown>>
    | undefined;

beforeAll(async () => {
  upstream = await startMockOpenAI({ apiKey: 'k' });
  home = await mkdtemp(join(tmpdir(), 'cliproxy-electron-main-'));
  const config = join(home, 'config.yaml');
  await writeFile(
    config,
    `# kept\nport: 0\napi_keys: [sk-local-e2e]\nauth_dir: ${join(home, 'auths')}\nusage_db: ${join(home, 'usage.db')}\nproviders:\n  - {name: a, type: openai, api_key: k, endpoint: "${upstream.url}", models: [{name: gpt-4o-mini, alias: mini}]}\n  - {name: my-claude, type: claude, auth_type: oauth}\n`,
  );
  run = spawnCli([], { HOME: home, CLIPROXY_CONFIG: config, CLIPROXY_STUB_APP_PATH: repoRoot }, [
    process.execPath,
    [
      '--import',
      resolve(repoRoot, 'test/electron-stub/register.mjs'),
      resolve(repoRoot, 'dist/main/app.mjs'),
    ],
  ]);
  control = await until(
    async () => /electron-stub control on (\S+)/.exec(run.stdout())?.[1],
    'the stub control server',
    15_000,
  );
  await until(async () => ((await lastMenu())?.length ? true : undefined), 'the tray menu', 15_000);
}, 30_000);

afterAll(async () => {
  killAllSpawned();
  await upstream?.close();
  await rm(home, { recursive: true, force: true });
});

describe('the Electron main process (bundle, stubbed Electron)', () => {
  it('takes the single-instance lock, registers cliproxy:// and loads the renderer in a sandboxed window', async () => {
    const log = await entries();
    expect(log.some((e) => e.type === 'singleInstanceLock')).toBe(true);
    expect(log.find((e) => e.type === 'protocol')).toMatchObject({ scheme: 'cliproxy' });
    expect(log.find((e) => e.type === 'window')).toMatchObject({
      webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false },
    });
    expect(log.find((e) => e.type === 'loadURL')).toMatchObject({ url: RENDERER });
  });

  it('binds every contract method, answers the renderer and refuses other frames', async () => {
    const state = await invoke('getState');
    expect(state).toMatchObject({
      shell: 'electron',
      secretsProtection: 'obfuscated',
      status: { running: true },
    });
    expect(await invoke('getState', {}, 'https://evil.example/')).toMatchObject({
      error: { code: 'forbidden' },
    });
    expect(await invoke('setRunning', { running: 'yes' })).toMatchObject({
      error: { code: 'invalid_input' },
    });
  });

  it('shows the status in the tray menu and rebuilds it when a provider is toggled (no polling)', async () => {
    const menu = (await lastMenu()) ?? [];
    expect(String(menu[0]?.label)).toMatch(/^http:\/\/127\.0\.0\.1:\d+ — 0 requests today$/);
    expect(menu.find((i) => i.label === 'a')).toMatchObject({ type: 'checkbox', checked: true });
    expect(menu.find((i) => i.label === 'my-claude (not signed in)')).toBeDefined();
    await post('/tray-click', { label: 'a' });
    const state = (await invoke('getState')) as { status: { url: string } };
    await until(async () => {
      const models = (await (await fetch(`${state.status.url}/v1/models`, { headers: AUTH })).json()) as {
        data: unknown[];
      };
      return models.data.length === 0 ? true : undefined;
    }, '/v1/models to drop the provider');
    await until(
      async () => ((await lastMenu())?.find((i) => i.label === 'a')?.checked === false ? true : undefined),
      'the menu to show the provider unchecked',
    );
    expect(await readFile(join(home, 'config.yaml'), 'utf8')).toContain('# kept');
    await post('/tray-click', { label: 'a' });
  });

  it('pushes each logged request to the window and counts it in the tray', async () => {
    const state = (await invoke('getState')) as { status: { url: string } };
    await until(async () => {
      const models = (await (await fetch(`${state.status.url}/v1/models`, { headers: AUTH })).json()) as {
        data: unknown[];
      };
      return models.data.length === 1 ? true : undefined;
    }, 'the provider back');
    const res = await fetch(`${state.status.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-local-e2e', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'mini', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(res.status).toBe(200);
    const sent = await until(
      async () =>
        (await entries()).find((e) => e.type === 'send' && e.channel === 'cliproxy:event:requestLogged'),
      'the requestLogged event',
    );
    expect(sent.payload).toMatchObject({ model: 'mini', status: 200 });
    await until(
      async () => (String((await lastMenu())?.[0]?.label).includes('1 request today') ? true : undefined),
      'the tray counter',
    );
  });

  it('copies the endpoint and the API key from the tray', async () => {
    await post('/tray-click', { label: 'Copy API key' });
    expect(await post('/clipboard')).toEqual({ text: 'sk-local-e2e' });
    await post('/tray-click', { label: 'Copy endpoint URL' });
    expect(((await post('/clipboard')) as { text: string }).text).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const log = JSON.stringify(await entries());
    expect(log).not.toContain('sk-local-e2e');
  });

  it('turns launch at login on from the tray and keeps it in the preferences', async () => {
    await post('/tray-click', { label: 'Launch at login' });
    const item = await until(
      async () => (await entries()).find((e) => e.type === 'loginItem'),
      'the login item',
    );
    expect(item).toMatchObject({ openAtLogin: true });
    expect(await invoke('getPrefs')).toMatchObject({ launchAtLogin: true, onboardingDone: true });
    await until(
      async () =>
        (await lastMenu())?.find((i) => i.label === 'Launch at login')?.checked ? true : undefined,
      'the checked menu item',
    );
  });

  it('focuses the window at the page a second launch links to, and ignores unknown links', async () => {
    await post('/second-instance', { argv: ['electron', '.', 'cliproxy://open/usage'] });
    const nav = await until(
      async () =>
        (await entries()).find((e) => e.type === 'executeJavaScript' && String(e.code).includes('#/usage')),
      'navigation to #/usage',
    );
    expect(nav.code).toBe('location.hash = "#/usage"');
    expect((await entries()).some((e) => e.type === 'show')).toBe(true);
    const before = (await entries()).length;
    await post('/second-instance', { argv: ['electron', '.', 'cliproxy://format/disk'] });
    await new Promise((r) => setTimeout(r, 200));
    expect((await entries()).slice(before).some((e) => e.type === 'executeJavaScript')).toBe(false);
  });

  it('hides the window on close instead of quitting, and opens a sign-in window from the tray', async () => {
    expect(await post('/close-window')).toEqual({ visible: false });
    await post('/tray-click', { label: 'my-claude…' });
    const login = await until(
      async () => (await entries()).find((e) => e.type === 'loadURL' && String(e.url).includes('#/signin/')),
      'the sign-in window',
    );
    expect(login.url).toBe(`${RENDERER}#/signin/my-claude`);
  });

  it('quits cleanly from the tray, stopping the engine', async () => {
    await post('/tray-click', { label: 'Quit' });
    const { code } = await run.exited;
    expect(code).toBe(0);
  });
});
