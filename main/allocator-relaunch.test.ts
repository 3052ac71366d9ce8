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
