import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from './atomic';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cliproxy-atomic-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('replaces the content, mode 0600, leaving no temp files', async () => {
    const file = join(dir, 'a.json');
    await writeFile(file, 'old');
    await writeFileAtomic(file, 'new');
    expect(await readFile(file, 'utf8')).toBe('new');
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(['a.json']);
  });

  it('leaves the old or the new file when the writer is killed mid-write, never a torn one', async () => {
    const file = join(dir, 'account.json');
    const oldContent = JSON.stringify({ v: 'old', pad: 'o'.repeat(200_000) });
    await writeFile(file, oldContent);
    const newContent = JSON.stringify({ v: 'new', pad: 'n'.repeat(200_000) });
    // A child process rewrites the file in a loop; we SIGKILL it at an arbitrary moment, many times.
    const script = `
      import { writeFileAtomic } from ${JSON.stringify(new URL('./atomic.ts', import.meta.url).pathname)};
      const content = JSON.stringify({ v: 'new', pad: 'n'.repeat(200_000) });
      for (;;) await writeFileAtomic(${JSON.stringify(file)}, content);
    `;
    const seen = new Set<string>();
    for (let round = 0; round < 5; round++) {
      const child = spawn(
        process.execPath,
        ['--experimental-strip-types', '--input-type=module', '-e', script],
        {
          stdio: 'ignore',
        },
      );
      await new Promise((resolve) => setTimeout(resolve, 150 + round * 37));
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      const text = await readFile(file, 'utf8');
      expect([oldContent, newContent]).toContain(text);
      seen.add(text === newContent ? 'new' : 'old');
      await writeFile(file, oldContent);
    }
    // The child really wrote (so the kills landed during writes, not before the first one).
    expect(seen.has('new')).toBe(true);
  });
});
