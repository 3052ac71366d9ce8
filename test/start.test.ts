import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killAllSpawned, repoRoot, startCli } from './helpers/process';

// `npm start` runs dist/start.mjs; here the Electron binary is never downloaded, so it must fall
// back to the headless engine, say why in one line, and announce the dashboard.
const launcher: [string, string[]] = [process.execPath, [resolve(repoRoot, 'dist/start.mjs')]];
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cliproxy-start-'));
});
afterAll(async () => {
  killAllSpawned();
  await rm(dir, { recursive: true, force: true });
});

async function config(name: string, text: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, `auth_dir: ${join(dir, 'auths')}\nusage_db: off\nport: 0\n${text}`);
  return file;
}

async function waitForLine(read: () => string, pattern: RegExp): Promise<RegExpExecArray> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const match = pattern.exec(read());
    if (match) return match;
    if (Date.now() > deadline) throw new Error(`no line matching ${pattern} in:\n${read()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('npm start without an Electron binary', () => {
  it('says why in one line, runs headless and serves the dashboard with a session-only secret', async () => {
    const file = await config('plain.yaml', '');
    const cli = await startCli(['--config', file], { CLIPROXY_NO_BROWSER: '1' }, launcher);
    const reason = cli
      .output()
      .stderr.split('\n')
      .filter((l) => l.includes('running headless'));
    expect(reason).toHaveLength(1);
    expect(reason[0]).toMatch(/CLIProxy\+\+: running headless because .+\.$/);
    const [, dashboard] = await waitForLine(() => cli.output().stdout, /Dashboard: (\S+)/);
    expect(dashboard).toBe(`${cli.url}/ui/`);
    // No secret in the file: the management API is on (with this run's secret), and it never prints.
    const status = await fetch(`${cli.url}/v0/management/status`);
    expect(status.status).toBe(401);
    expect(cli.output().stdout).not.toMatch(/secret=/);
    cli.signal('SIGTERM');
    await cli.exit();
  });

  it('keeps a configured management_secret and does not replace it', async () => {
    const secret = 'configured-secret-0123456789';
    const file = await config('secret.yaml', `management_secret: ${secret}\n`);
    const cli = await startCli(['--config', file], { CLIPROXY_NO_BROWSER: '1' }, launcher);
    await waitForLine(() => cli.output().stdout, /Dashboard: .*sign in with your management_secret/);
    const status = await fetch(`${cli.url}/v0/management/status`, {
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(status.status).toBe(200);
    cli.signal('SIGTERM');
    await cli.exit();
  });
});
