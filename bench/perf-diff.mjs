// Where the engine's main thread spends more CPU per request than the json pipe's, measured with
// Linux `perf` (cpu-clock samples of the main thread only, 2 kHz, call graphs) rather than V8's
// profiler. V8's profiler charges to the last native callback (`writev`) samples it cannot place,
// and samples wall time; perf counts CPU time and sees the kernel, the GC and V8's builtins.
// Each sample is charged to the nearest JavaScript function on its stack (the native code it called
// included), mapped back to main/…ts through the bundle's source map; samples inside a GC pause or a
// system call are counted apart as well, and so is the tier of the code each sample is in (time
// still in baseline code means the warm-up was too short for that server). Compare the totals first:
// a function the pipe reaches by another route (its socket writes outside `clearBuffer`, say) shows
// as the engine's excess.
// Needs `perf` and permission to use it (root, or kernel.perf_event_paranoid <= 1).
// Usage: npm run bench:perf-diff -- [--scenario chat|stream] [--target passthrough|translation]
//        [--requests 40000] [--top 30]
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { locate } from './lib/cpu-profile.mjs';
import { checkTarget, measure, warmUp } from './lib/load.mjs';
import { diffSides, excessReport, measureSides } from './lib/side-diff.mjs';
import { defineTargets } from './lib/targets.mjs';

const { values: flags } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'chat' },
    target: { type: 'string', default: 'passthrough' },
    requests: { type: 'string', default: '40000' },
    top: { type: 'string', default: '30' },
  },
});

if (spawnSync('perf', ['--version']).status !== 0) {
  process.stderr.write('bench:perf-diff needs Linux perf on PATH (Debian: apt-get install linux-perf)\n');
  process.exit(1);
}

const SIDES = diffSides(flags.target);
const FREQUENCY_HZ = 2000;
// --perf-basic-prof writes /tmp/perf-<pid>.map, so perf can name JIT-compiled functions.
const NODE_ARGS = ['--perf-basic-prof-only-functions'];

/** Frames of each sample in `perf script` output, leaf first. */
function* samplesOf(text) {
  for (const block of text.split('\n\n')) {
    const lines = block.split('\n').filter((line) => line.trim() !== '');
    if (lines.length < 2) continue;
    yield lines.slice(1).map((line) => line.trim().replace(/^[0-9a-f]+ /, ''));
  }
}

// V8's perf names mark the tier: * TurboFan, + Maglev, ^ baseline (Sparkplug), ~ interpreted.
const JS_FRAME = /^JS:[*+~^]?(\S*) (\S+):(\d+):(\d+)$/;
const LEAF_TIER = /^JS:([*+^])/;
const TIER_NAMES = { '*': 'turbofan', '+': 'maglev', '^': 'baseline' };
const IN_GC = /v8::internal::(Heap::(CollectGarbage|Scavenge)|ScavengerCollector|MarkCompactCollector)/;
const IN_SYSCALL = /^entry_SYSCALL_64/;

/** µs per request by JS function, by module, and the GC and system-call shares, of one recording. */
function tally(script, requests) {
  const maps = new Map();
  const byFunction = new Map();
  const byModule = new Map();
  const add = (map, key) => map.set(key, (map.get(key) ?? 0) + 1);
  let total = 0;
  let gc = 0;
  let syscalls = 0;
  const tiers = { turbofan: 0, maglev: 0, baseline: 0 };
  for (const frames of samplesOf(script)) {
    total++;
    const tier = LEAF_TIER.exec(frames[0] ?? '');
    if (tier) tiers[TIER_NAMES[tier[1]]]++;
    if (frames.some((frame) => IN_GC.test(frame))) gc++;
    if (frames.some((frame) => IN_SYSCALL.test(frame))) syscalls++;
    const js = frames.map((frame) => JS_FRAME.exec(frame)).find(Boolean);
    if (!js) {
      add(byModule, '(no JS on the stack: event loop, GC tasks)');
      continue;
    }
    const [, name, url, line, column] = js;
    const [module, sourceLine] = locate(url, Number(line) - 1, Number(column) - 1, maps);
    add(byFunction, `${name || '(anonymous)'} ${module}:${sourceLine}`);
    add(byModule, module);
  }
  const perRequest = (count) => (count * 1e6) / FREQUENCY_HZ / requests;
  const scale = (map) => new Map([...map].map(([key, count]) => [key, perRequest(count)]));
  return {
    total: perRequest(total),
    gc: perRequest(gc),
    syscalls: perRequest(syscalls),
    turbofan: perRequest(tiers.turbofan),
    maglev: perRequest(tiers.maglev),
    baseline: perRequest(tiers.baseline),
    byFunction: scale(byFunction),
    byModule: scale(byModule),
  };
}

async function recordOf(side, mock) {
  const server = await side.start(mock.url, { nodeArgs: NODE_ARGS });
  const target = defineTargets({ mock: mock.url, jsonPipe: server.url, engine: server.url }).find(
    (t) => t.name === side.target,
  );
  const data = join(mkdtempSync(join(tmpdir(), 'cliproxy-perf-')), 'perf.data');
  let requests = 0;
  try {
    await checkTarget(target, flags.scenario);
    await warmUp(target, flags.scenario); // not recorded
    const perf = spawn(
      'perf',
      [
        'record',
        '-q',
        '-e',
        'cpu-clock',
        '-F',
        String(FREQUENCY_HZ),
        '-g',
        '-t',
        String(server.pid),
        '-o',
        data,
      ],
      { stdio: 'inherit' },
    );
    await new Promise((resolve) => setTimeout(resolve, 300)); // perf attaches
    const run = await measure(target, flags.scenario, { connections: 64, amount: Number(flags.requests) });
    requests = run.requests;
    perf.kill('SIGINT');
    await once(perf, 'exit');
  } finally {
    await server.stop('SIGINT');
  }
  const script = spawnSync('perf', ['script', '-i', data, '-F', 'ip,sym'], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  if (script.status !== 0) throw new Error(`perf script failed: ${script.stderr}`);
  return tally(script.stdout, requests);
}

const [base, engine] = await measureSides(SIDES, recordOf);
const top = Number(flags.top);
const line = (label, key) =>
  `${label.padEnd(40)} json pipe ${base[key].toFixed(1).padStart(6)}   engine ${engine[key].toFixed(1).padStart(6)}`;
process.stdout.write(
  excessReport(
    [
      `${flags.scenario} (engine ${flags.target}), main thread CPU µs per request (perf, ${FREQUENCY_HZ} Hz):`,
      line('all', 'total'),
      line('  of which in system calls', 'syscalls'),
      line('  of which in GC', 'gc'),
      line('  in TurboFan code (the leaf frame)', 'turbofan'),
      line('  in Maglev code', 'maglev'),
      line('  in baseline code (not yet optimized)', 'baseline'),
    ],
    'µs per request, by the nearest JS function on the stack',
    base,
    engine,
    top,
    2,
  ),
);
