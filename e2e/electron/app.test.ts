import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DesktopBridge } from '../../shared/bridge';
import { type MockUpstream, startMockOpenAI } from '../../test/mocks/openai';

const repoRoot = resolve(import.meta.dirname, '../..');

/** The Electron binary when it was downloaded, else why this suite cannot run here. */
function electronBinary(): { path: string } | { skip: string } {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown;
    if (typeof path === 'string' && existsSync(path)) {
      if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY)
        return { skip: 'no display (run under xvfb-run to include it)' };
      return { path };
    }
  } catch {
    // not installed
  }
  return {
    skip: "Electron's binary is not installed (ELECTRON_SKIP_BINARY_DOWNLOAD, or its host is unreachable)",
  };
}

const binary = electronBinary();
if ('skip' in binary) console.warn(`e2e/electron skipped: ${binary.skip}`);

declare global {
  interface Window {
    api: DesktopBridge;
  }
}

describe.skipIf('skip' in binary)('the desktop app (Electron)', () => {
  let app: ElectronApplication;
  let page: Page;
  let upstream: MockUpstream;
  let home: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    upstream = await startMockOpenAI({ apiKey: 'k' });
    home = await mkdtemp(join(tmpdir(), 'cliproxy-electron-'));
    await mkdir(join(home, '.cliproxy'), { recursive: true });
    await writeFile(
      join(home, '.cliproxy', 'config.yaml'),
      `# e2e\nport: 0\nauth_dir: ${join(home, 'auths')}\nusage_db: ${join(home, 'usage.db')}\nproviders:\n  - {name: a, type: openai, api_key: k, endpoint: "${upstream.url}", models: [{name: gpt-4o-mini, alias: mini}]}\n`,
    );
    env = {
      ...(process.env as Record<string, string>),
      HOME: home,
      USERPROFILE: home,
      XDG_CONFIG_HOME: join(home, '.config'),
    };
    app = await _electron.launch({
      executablePath: 'path' in binary ? binary.path : '',
      args: [repoRoot],
      env,
    });
    page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await upstream?.close();
    await rm(home, { recursive: true, force: true });
  });

  it('starts the engine and shows the dashboard', async () => {
    const state = await page.evaluate(() => window.api.getState({}));
    expect(state).toMatchObject({ shell: 'electron', status: { running: true } });
    expect(page.url()).toContain('dist/renderer/index.html');
    await expect.poll(() => page.locator('body').textContent(), { timeout: 10_000 }).toMatch(/Dashboard/i);
  });

  it('toggles a provider through IPC, which changes /v1/models', async () => {
    const state = await page.evaluate(() => window.api.getState({}));
    if ('error' in state) throw new Error(state.error.message);
    const models = async () =>
      (
        (await (await fetch(`${state.status.url}/v1/models`)).json()) as { data: Array<{ id: string }> }
      ).data.map((m) => m.id);
    expect(await models()).toEqual(['mini']);
    await page.evaluate(() => window.api.setProviderEnabled({ provider: 'a', enabled: false }));
    await expect.poll(models, { timeout: 5_000 }).toEqual([]);
  });

  it('focuses the running window on a deep link from a second launch', async () => {
    const second = spawn('path' in binary ? binary.path : '', [repoRoot, 'cliproxy://open/usage'], {
      env,
      stdio: 'ignore',
    });
    await expect.poll(() => page.evaluate(() => location.hash), { timeout: 10_000 }).toBe('#/usage');
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.isVisible())).toBe(
      true,
    );
    await new Promise((r) => second.once('exit', r));
  });
});
