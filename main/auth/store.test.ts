import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Account, accountId, accountView } from './account';
import type { SecretBox } from './secret-box';
import { AccountStore } from './store';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cliproxy-auth-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function sample(identity = 'ada@example.com'): Account {
  return {
    id: accountId('my-claude', identity),
    provider: 'my-claude',
    type: 'claude',
    identity,
    status: 'active',
    tokens: { access_token: 'at-secret-1', refresh_token: 'rt-secret-1', expires_at: 1_900_000_000_000 },
    metadata: { plan: 'max' },
    created_at: 1,
    updated_at: 2,
  };
}

/** A reversible toy box standing in for safeStorage. */
const box: SecretBox = {
  kind: 'test-rot',
  encrypt: (plain) => Buffer.from(plain).toString('base64').split('').reverse().join(''),
  decrypt: (cipher) => Buffer.from(cipher.split('').reverse().join(''), 'base64').toString(),
};

describe('AccountStore', () => {
  it('keeps a save made while a reload reads the files (a refresh racing the watcher)', async () => {
    const store = new AccountStore(dir);
    const target = sample();
    await store.save(target);
    // Other accounts after it, so the reload is still reading when the save below lands.
    for (let i = 0; i < 20; i++) await store.save(sample(`zz${i}@example.com`));
    const refreshed: Account = { ...target, tokens: { ...target.tokens, access_token: 'at-secret-2' } };
    const reload = store.load();
    const save = store.save(refreshed);
    await Promise.all([reload, save]);
    expect(store.get(target.id)?.tokens.access_token).toBe('at-secret-2');
    expect(store.list()).toHaveLength(21);

    // A remove asked for while the save is still writing: the file must not come back.
    const saving = store.save(refreshed);
    const removing = store.remove(target.id);
    await Promise.all([saving, removing]);
    expect(store.get(target.id)).toBeUndefined();
    expect(await readdir(dir)).not.toContain(`${target.id}.json`);

    await store.save(target);
    const reloadAgain = store.load();
    const removal = store.remove(target.id);
    await Promise.all([reloadAgain, removal]);
    expect(store.get(target.id)).toBeUndefined();
  });

  it('keeps an account whose save is still being written when a reload starts (a sign-in racing the watcher)', async () => {
    const store = new AccountStore(dir);
    const fresh = sample('new@example.com');
    const saving = store.save(fresh);
    // The reload reads the directory before the save's fsync and rename are done.
    await store.load();
    expect(store.get(fresh.id)?.identity).toBe('new@example.com');
    await saving;

    const removing = store.remove(fresh.id);
    await store.load();
    expect(store.get(fresh.id)).toBeUndefined();
    await removing;
    await store.load();
    expect(store.list()).toEqual([]);
  });

  it('saves one 0600 file per account and loads it back', async () => {
    const store = new AccountStore(dir);
    await store.save(sample());
    expect(await readdir(dir)).toEqual(['my-claude-ada-example-com.json']);
    if (process.platform !== 'win32')
      expect((await stat(join(dir, 'my-claude-ada-example-com.json'))).mode & 0o777).toBe(0o600);
    const again = new AccountStore(dir);
    await again.load();
    expect(again.list()).toEqual([sample()]);
  });

  it('encrypts with a SecretBox: no token in the file, and it reads back', async () => {
    const store = new AccountStore(dir, box);
    await store.save(sample());
    const text = await readFile(join(dir, 'my-claude-ada-example-com.json'), 'utf8');
    expect(text).not.toContain('at-secret-1');
    expect(JSON.parse(text)).toMatchObject({
      format: 'cliproxy-account',
      version: 1,
      encryption: 'test-rot',
    });
    const again = new AccountStore(dir, box);
    await again.load();
    expect(again.get(sample().id)?.tokens.refresh_token).toBe('rt-secret-1');
    const withoutBox = new AccountStore(dir);
    await withoutBox.load();
    expect(withoutBox.list()).toEqual([]);
    expect(withoutBox.problems()[0]?.reason).toContain('test-rot');
  });

  it('reports corrupt files as problems and keeps serving the others', async () => {
    const store = new AccountStore(dir);
    await store.save(sample());
    await writeFile(join(dir, 'broken.json'), '{"format":"cliproxy-account","version":1,"acc');
    await writeFile(
      join(dir, 'wrong.json'),
      JSON.stringify({ format: 'cliproxy-account', version: 1, account: { id: 'x' } }),
    );
    await store.load();
    expect(store.list().map((a) => a.identity)).toEqual(['ada@example.com']);
    expect(
      store
        .problems()
        .map((p) => p.file)
        .sort(),
    ).toEqual(['broken.json', 'wrong.json']);
  });

  it('picks up files added and removed by hand', async () => {
    const store = new AccountStore(dir);
    await store.load();
    store.watch(30);
    const changed = () => new Promise<void>((resolve) => store.once('changed', resolve));
    const writer = new AccountStore(dir);
    let next = changed();
    await writer.save(sample('bob@example.com'));
    await next;
    expect(store.list().map((a) => a.identity)).toEqual(['bob@example.com']);
    next = changed();
    await rm(join(dir, 'my-claude-bob-example-com.json'));
    await next;
    expect(store.list()).toEqual([]);
    store.stopWatching();
  });

  it('refuses ids that could escape the directory', async () => {
    const store = new AccountStore(dir);
    await expect(store.save({ ...sample(), id: '../evil' })).rejects.toThrow('invalid account id');
  });

  it('shows no secrets in the view', () => {
    const view = JSON.stringify(accountView(sample()));
    expect(view).not.toContain('secret');
    expect(view).toContain('"expires_at":1900000000000');
  });
});
