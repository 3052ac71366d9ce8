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

  it('leaves a whole file when the writer is killed mid-write, never a torn one', async () => {
    const file = join(dir, 'account.json');
    const makeVersions = "['a', 'b'].map((v) => JSON.stringify({ v, pad: v.repeat(200_000) }))";
    const versions = ['a', 'b'].map((v) => JSON.stringify({ v, pad: v.repeat(200_000) }));
    // A child rewrites the file in a loop, alternating two versions, and says when its first write
    // is done; only then is it SIGKILLed, so every kill lands inside the loop, whatever the
    // machine's load does to the child's start-up time.
    const script = `
      import { writeFileAtomic } from ${JSON.stringify(new URL('./atomic.ts', import.meta.url).pathname)};
      const versions = ${makeVersions};
      await writeFileAtomic(${JSON.stringify(file)}, versions[0]);
      process.stdout.write('ready\\n');
      for (let i = 1; ; i++) await writeFileAtomic(${JSON.stringify(file)}, versions[i % 2]);
    `;
    for (let round = 0; round < 5; round++) {
      const child = spawn(
        process.execPath,
        ['--experimental-strip-types', '--input-type=module', '-e', script],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      const exited = new Promise((resolve) => child.once('exit', resolve));
      const ready = await new Promise<boolean>((resolve) => {
        child.stdout.once('data', () => resolve(true));
        child.once('exit', () => resolve(false));
      });
      expect(ready).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 10 + round * 23));
      child.kill('SIGKILL');
      await exited;
      expect(versions).toContain(await readFile(file, 'utf8'));
    }
  });
});
