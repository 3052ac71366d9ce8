import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ToolConnector } from './connect';

let home: string;
let clock = Date.UTC(2026, 0, 2, 3, 4, 5);
const target = { url: 'http://127.0.0.1:8317', key: 'sk-local' };
const connector = () =>
  new ToolConnector(
    home,
    () => target,
    () => clock++,
  );

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'cliproxy-home-'));
});
afterEach(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('connecting tools', () => {
  it('writes Claude Code env keys over existing settings, with a backup the undo restores', async () => {
    const file = join(home, '.claude', 'settings.json');
    await mkdir(join(home, '.claude'));
    const original = '{\n  "model": "opus",\n  "env": { "FOO": "1" }\n}\n';
    await writeFile(file, original);
    const status = await connector().connect('claude-code');
    expect(status).toMatchObject({
      tool: 'claude-code',
      connected: true,
      backups: [expect.stringContaining('.cliproxy-backup-2026-01-02T03-04-05')],
    });
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({
      model: 'opus',
      env: { FOO: '1', ANTHROPIC_BASE_URL: 'http://127.0.0.1:8317', ANTHROPIC_AUTH_TOKEN: 'sk-local' },
    });
    const undone = await connector().undo('claude-code');
    expect(undone).toMatchObject({ connected: false, backups: [] });
    expect(await readFile(file, 'utf8')).toBe(original);
  });

  it('creates a missing Codex config, and the undo removes it again', async () => {
    const file = join(home, '.codex', 'config.toml');
    const status = await connector().connect('codex');
    expect(status.connected).toBe(true);
    expect(await readFile(file, 'utf8')).toContain('base_url = "http://127.0.0.1:8317/v1"');
    await connector().undo('codex');
    expect(await readdir(join(home, '.codex'))).toEqual([]);
    await expect(connector().undo('codex')).rejects.toThrow('no backup');
  });

  it('never overwrites a settings file it cannot read as JSON', async () => {
    await mkdir(join(home, '.claude'));
    await writeFile(join(home, '.claude', 'settings.json'), '{ broken');
    await expect(connector().connect('claude-code')).rejects.toThrow('not valid JSON');
    expect(await readFile(join(home, '.claude', 'settings.json'), 'utf8')).toBe('{ broken');
  });

  it('undoes step by step, newest backup first', async () => {
    const c = connector();
    await c.connect('codex');
    await c.connect('codex');
    expect((await c.status('codex')).backups).toHaveLength(2);
    await c.undo('codex');
    expect((await c.status('codex')).connected).toBe(true);
    await c.undo('codex');
    expect((await c.all()).map((t) => [t.tool, t.connected])).toEqual([
      ['claude-code', false],
      ['codex', false],
    ]);
  });
});
