import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const workload = resolve(import.meta.dirname, 'maglev-workload.ts');

/**
 * How many compilations of the workload's hot function targeted each tier (from V8's --trace-opt).
 * Only that function: Node's own module loading may get hot before the workload sets the flag.
 */
function compilations(mode: 'default' | 'tuned'): { maglev: number; turbofan: number } {
  const stdout = execFileSync(
    process.execPath,
    // --maglev: the control asks for the tier even where it is off by default.
    ['--maglev', '--trace-opt', '--experimental-strip-types', '--no-warnings', workload, mode],
    { encoding: 'utf8', timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
  );
  const compiling = stdout
    .split('\n')
    .filter((line) => line.startsWith('[compiling method') && line.includes('<JSFunction area '));
  return {
    maglev: compiling.filter((line) => /target MAGLEV/.test(line)).length,
    turbofan: compiling.filter((line) => /target TURBOFAN/.test(line)).length,
  };
}

// The control decides whether there is anything to check: Node 24 compiles the hot function with
// Maglev, Node 22's build has no Maglev to turn off.
const control = compilations('default');
const hasMaglev = control.maglev > 0;
if (!hasMaglev)
  console.log(`skipped the Maglev tuning check: node ${process.version} compiles nothing with Maglev`);

describe.skipIf(!hasMaglev)('the compiler tuning (issue 9, fix 38)', () => {
  it('sends the hot function to TurboFan without a Maglev compilation', () => {
    const tuned = compilations('tuned');
    expect(tuned.maglev).toBe(0);
    expect(tuned.turbofan).toBeGreaterThan(0);
  }, 60_000);
});
