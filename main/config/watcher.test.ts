import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ConfigIssue, hashText } from './loader';
import type { Config } from './schema';
import { ConfigWatcher } from './watcher';

const waitFor = async (predicate: () => boolean, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('ConfigWatcher', () => {
  let dir: string;
  let file: string;
  let watcher: ConfigWatcher;
  let applied: Config[];
  let rejected: ConfigIssue[][];
  let recovered: number;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cliproxy-watch-'));
    file = join(dir, 'config.yaml');
    const initial = 'port: 1000\n';
    await writeFile(file, initial);
    applied = [];
    rejected = [];
    recovered = 0;
    watcher = new ConfigWatcher({
      file,
      appliedHash: hashText(initial),
      debounceMs: 50,
      onValid: (config) => {
        applied.push(config);
      },
      onInvalid: (issues) => rejected.push(issues),
      onRecovered: () => recovered++,
    });
    watcher.start();
  });

  afterEach(async () => {
    watcher.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('applies an edit written in place', async () => {
    await writeFile(file, 'port: 2000\n');
    await waitFor(() => applied.length === 1);
    expect(applied[0]?.port).toBe(2000);
  });

  it('applies a file replaced by rename, as editors save', async () => {
    const temp = join(dir, '.config.yaml.swp');
    await writeFile(temp, 'port: 3000\n');
    await rename(temp, file);
    await waitFor(() => applied.length === 1);
    expect(applied[0]?.port).toBe(3000);
  });

  it('debounces a burst of writes into one apply of the final content', async () => {
    // A debounce far longer than the gap between two writes on a loaded machine.
    watcher.stop();
    watcher = new ConfigWatcher({
      file,
      appliedHash: hashText('port: 1000\n'),
      debounceMs: 1_000,
      onValid: (config) => {
        applied.push(config);
      },
      onInvalid: (issues) => rejected.push(issues),
    });
    watcher.start();
    for (let port = 4000; port < 4005; port++) await writeFile(file, `port: ${port}\n`);
    await waitFor(() => applied.length >= 1);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(applied.map((c) => c.port)).toEqual([4004]);
  });

  it('ignores a save that does not change the content', async () => {
    await writeFile(file, 'port: 1000\n');
    await new Promise((resolve) => setTimeout(resolve, 200));
    await watcher.settled();
    expect(applied).toEqual([]);
    expect(rejected).toEqual([]);
  });

  it('refuses a file emptied by a save cut short, keeping the last good config', async () => {
    await writeFile(file, '');
    await waitFor(() => rejected.length === 1);
    expect(applied).toEqual([]);
    expect(rejected[0]?.[0]?.message).toContain('empty');
    await writeFile(file, 'port: 1000\n');
    await waitFor(() => recovered === 1);
  });

  it('keeps the last good config on a broken file, then recovers', async () => {
    await writeFile(file, 'port: [\n');
    await waitFor(() => rejected.length === 1);
    expect(applied).toEqual([]);
    expect(rejected[0]?.[0]?.line).toBeGreaterThan(0);
    await writeFile(file, 'port: 1000\n');
    await waitFor(() => recovered === 1);
    await writeFile(file, 'port: 5000\n');
    await waitFor(() => applied.length === 1);
    expect(applied[0]?.port).toBe(5000);
  });
});
