import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const workload = resolve(import.meta.dirname, 'maglev-workload.ts');
const nodeMajor = Number(process.versions.node.split('.')[0]);

/**
 * How many compilations of the workload's hot function targeted each tier (from V8's --trace-opt).
 * Only that function: Node's own module loading may get hot before the workload sets the flag.
 */
async function compilations(mode: 'default' | 'tuned'): Promise<{ maglev: number; turbofan: number }> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    // --maglev: the control asks for the tier even where it is off by default.
    ['--maglev', '--trace-opt', '--experimental-strip-types', '--no-warnings', workload, mode],
    { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
  );
  const compiling = stdout
    .split('\n')
    .filter((line) => line.startsWith('[compiling method') && line.includes('<JSFunction area '));
  return {
    maglev: compiling.filter((line) => /target MAGLEV/.test(line)).length,
    turbofan: compiling.filter((line) => /target TURBOFAN/.test(line)).length,
  };
}

describe('the compiler tuning (issue 9, fix 38)', () => {
  it('sends hot functions to TurboFan without a Maglev compilation', async () => {
    const [before, after] = await Promise.all([compilations('default'), compilations('tuned')]);
    // Node 24 and later compile with Maglev when asked; Node 22's build has no Maglev to turn off.
    if (nodeMajor >= 24) expect(before.maglev).toBeGreaterThan(0);
    expect(after.maglev).toBe(0);
    expect(after.turbofan).toBeGreaterThan(0);
  }, 120_000);
});
