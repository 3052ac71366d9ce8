// Where the engine spends more CPU per request than the json pipe (the floor of a proxy that reads and
// parses both bodies, bench/json-pipe.mjs): each runs under `node --cpu-prof` in its own process for
// the same number of keep-alive requests from the mock's client side, and the two profiles' self time
// is divided by the requests served and subtracted, by module and by function. Profiled µs are
// inflated (the profiler's own cost grows with the number of JS frames), so read them as shares;
// its `writev` line also holds samples V8 could not place (bench:perf-diff measures with perf).
// Usage: npm run bench:profile-diff -- [--scenario chat|stream] [--target passthrough|translation]
//        [--requests 20000] [--top 40]
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { profileTimes } from './lib/cpu-profile.mjs';
import { checkTarget, measure, warmUp } from './lib/load.mjs';
import { diffSides, excessReport, measureSides } from './lib/side-diff.mjs';
import { defineTargets } from './lib/targets.mjs';

const { values: flags } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'chat' },
    target: { type: 'string', default: 'passthrough' },
    requests: { type: 'string', default: '20000' },
    top: { type: 'string', default: '40' },
  },
});

const SIDES = diffSides(flags.target);

/** The monotonic clock in µs, the clock V8's profiler stamps its samples with. */
const nowMicros = () => Number(process.hrtime.bigint() / 1000n);

/**
 * Self time per request (µs) by function and by module, and busy µs per request, counting only the
 * samples taken while the measured requests ran (not startup, warm-up or shutdown).
 */
async function profileOf(side, mock) {
  const dir = mkdtempSync(join(tmpdir(), 'cliproxy-prof-diff-'));
  const server = await side.start(mock.url, { nodeArgs: ['--cpu-prof', '--cpu-prof-dir', dir] });
  const target = defineTargets({ mock: mock.url, jsonPipe: server.url, engine: server.url }).find(
    (t) => t.name === side.target,
  );
  let served = 0;
  const window = { from: 0, to: 0 };
  try {
    await checkTarget(target, flags.scenario);
    await warmUp(target, flags.scenario); // not counted
    window.from = nowMicros();
    const run = await measure(target, flags.scenario, { connections: 64, amount: Number(flags.requests) });
    window.to = nowMicros();
    served = run.requests;
    process.stderr.write(`${side.label}: ${run.rps.toFixed(0)} req/s under the profiler\n`);
  } finally {
    await server.stop('SIGINT');
  }
  // One profile per JS thread (the engine's usage writer has its own); the main thread's is the busiest.
  const files = readdirSync(dir).filter((name) => name.endsWith('.cpuprofile'));
  if (files.length === 0) throw new Error(`${side.label} wrote no profile in ${dir}`);
  const times = files
    .map((name) => profileTimes(join(dir, name), window))
    .reduce((a, b) => (b.busy > a.busy ? b : a));
  const perRequest = (map) => new Map([...map].map(([key, ms]) => [key, (ms * 1000) / served]));
  return {
    busy: (times.busy * 1000) / served,
    byModule: perRequest(times.selfByModule),
    byFunction: perRequest(times.selfByFn),
  };
}

const [base, engine] = await measureSides(SIDES, profileOf);
const top = Number(flags.top);
process.stdout.write(
  excessReport(
    [
      `${flags.scenario} (${SIDES[1].target}): busy µs per request under the profiler — json pipe ${base.busy.toFixed(0)}, engine ${engine.busy.toFixed(0)}`,
    ],
    'self µs per request',
    base,
    engine,
    top,
  ),
);
