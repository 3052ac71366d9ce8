import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ALLOCATOR_TUNABLES,
  NO_RELAUNCH_ENV,
  type RelaunchProbe,
  relaunchEnvironment,
} from './allocator-relaunch';

const linux: RelaunchProbe = {
  platform: 'linux',
  env: { HOME: '/home/u', PATH: '/usr/bin', UNSET: undefined },
  glibc: true,
  canReplaceProcess: true,
};

describe('relaunchEnvironment', () => {
  it('relaunches glibc Linux with the tunables added and everything else kept', () => {
    expect(relaunchEnvironment(linux)).toEqual({
      HOME: '/home/u',
      PATH: '/usr/bin',
      GLIBC_TUNABLES: ALLOCATOR_TUNABLES,
    });
  });

  it('does not relaunch a process that already has GLIBC_TUNABLES (its own relaunch, or the user’s)', () => {
    expect(relaunchEnvironment({ ...linux, env: { GLIBC_TUNABLES: ALLOCATOR_TUNABLES } })).toBeUndefined();
    expect(
      relaunchEnvironment({ ...linux, env: { GLIBC_TUNABLES: 'glibc.malloc.arena_max=1' } }),
    ).toBeUndefined();
    expect(relaunchEnvironment({ ...linux, env: { GLIBC_TUNABLES: '' } })).toBeUndefined();
  });

  it('does not relaunch elsewhere: other systems, musl, runtimes without execve, or when asked not to', () => {
    for (const platform of ['darwin', 'win32', 'freebsd'] as const)
      expect(relaunchEnvironment({ ...linux, platform })).toBeUndefined();
    expect(relaunchEnvironment({ ...linux, glibc: false })).toBeUndefined();
    expect(relaunchEnvironment({ ...linux, canReplaceProcess: false })).toBeUndefined();
    expect(relaunchEnvironment({ ...linux, env: { [NO_RELAUNCH_ENV]: '1' } })).toBeUndefined();
  });

  it('decides from the environment before asking whether the C library is glibc', () => {
    let asked = 0;
    const probe = (env: RelaunchProbe['env']): RelaunchProbe => ({
      ...linux,
      env,
      get glibc() {
        asked++;
        return true;
      },
    });
    expect(relaunchEnvironment(probe({ GLIBC_TUNABLES: ALLOCATOR_TUNABLES }))).toBeUndefined();
    expect(relaunchEnvironment(probe({ [NO_RELAUNCH_ENV]: '1' }))).toBeUndefined();
    expect(asked).toBe(0);
    expect(relaunchEnvironment(probe({}))).toEqual({ GLIBC_TUNABLES: ALLOCATOR_TUNABLES });
    expect(asked).toBe(1);
  });
});

/** This process's dynamic loader (glibc's ld.so), from its own memory map; undefined elsewhere. */
function glibcLoader(): string | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    return /\s(\/\S*\/ld-linux[^/\s]*\.so\S*)$/m.exec(readFileSync('/proc/self/maps', 'utf8'))?.[1];
  } catch {
    return undefined;
  }
}

// glibc ignores a tunable it does not know, or a value out of range, without a word: only its loader
// can say whether ALLOCATOR_TUNABLES takes effect (`--list-tunables`, glibc 2.33 and later).
const loader = glibcLoader();
const listed = loader
  ? spawnSync(loader, ['--list-tunables'], { encoding: 'utf8', env: { GLIBC_TUNABLES: ALLOCATOR_TUNABLES } })
  : undefined;
const canList = listed?.status === 0 && listed.stdout.includes('glibc.malloc.');
if (!canList) console.log('skipped the glibc tunables check: no glibc loader with --list-tunables here');

describe.skipIf(!canList)('ALLOCATOR_TUNABLES', () => {
  it('names tunables glibc knows, and glibc takes their values', () => {
    for (const setting of ALLOCATOR_TUNABLES.split(':')) {
      const [name, value] = setting.split('=');
      const line = new RegExp(`^${name?.replaceAll('.', '\\.')}: (0x[0-9a-f]+|\\d+) `, 'm').exec(
        listed?.stdout ?? '',
      );
      expect(line, `${name} is not a glibc tunable`).not.toBeNull();
      expect(Number(line?.[1])).toBe(Number(value));
    }
  });
});
