import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const workload = resolve(import.meta.dirname, 'pretenuring-workload.ts');

async function collections(mode: 'default' | 'tuned'): Promise<{ minor: number; major: number }> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--experimental-strip-types', workload, mode, '40000'],
    {
      timeout: 60_000,
    },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '');
}

// V8 12 (Node 22) pretenures this workload's per-request objects; V8 13.6 (Node 24) does not, with
// or without the flag, so there the tuning has nothing to change (docs/performance-history.md,
// fix 38's session). Measured in both: 4 mark-compacts → 1 on Node 22, 4 → 4 on Node 24.
const v8Major = Number(process.versions.v8.split('.')[0]);
if (v8Major >= 13)
  console.log(`skipped the pretenuring check: V8 ${process.versions.v8} does not pretenure this workload`);

// Counts collections, not time: which objects V8 pretenures depends on what survives, not on speed.
describe('the garbage-collector tuning (issue 9, fix 29)', () => {
  it.skipIf(v8Major >= 13)(
    'lets per-request objects die young: far fewer mark-compacts for the same keep-alive requests',
    async () => {
      const before = await collections('default');
      const after = await collections('tuned');
      // The workload is big enough to say something: without the tuning it does run mark-compacts.
      expect(before.minor).toBeGreaterThan(10);
      expect(before.major).toBeGreaterThanOrEqual(2);
      expect(after.major * 2).toBeLessThanOrEqual(before.major);
    },
    120_000,
  );
});
