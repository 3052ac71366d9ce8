// How much more the engine allocates per request than the json pipe (bench/json-pipe.mjs), and where:
// each runs with V8's sampling heap profiler (bench/lib/heap-sampler.mjs, every allocation counted,
// collected or not) for the same number of keep-alive requests, and the two are subtracted by module
// and by function. Unlike CPU time on a shared machine, bytes allocated per request barely move
// between runs, so this is the steady measure for work that cuts allocations (and with them the
// scavenges that the main thread and V8's helper threads pay for).
// Usage: npm run bench:alloc-diff -- [--scenario chat|stream] [--target passthrough|translation]
//        [--requests 20000] [--top 40]
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { locate } from './lib/cpu-profile.mjs';
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
const SAMPLER = pathToFileURL(join(import.meta.dirname, 'lib/heap-sampler.mjs'));

async function waitForFile(path, timeoutMs = 30_000) {
  for (let waited = 0; !existsSync(path); waited += 100) {
    if (waited > timeoutMs) throw new Error(`no heap profile at ${path}`);
    await sleep(100);
  }
}

/** KB allocated per request, by function and by module, over the measured requests only. */
async function allocationsOf(side, mock) {
  const dir = mkdtempSync(join(tmpdir(), 'cliproxy-alloc-diff-'));
  const out = join(dir, 'heap.json');
  const server = await side.start(mock.url, { nodeArgs: ['--import', `${SAMPLER}?out=${out}`] });
  const target = defineTargets({ mock: mock.url, jsonPipe: server.url, engine: server.url }).find(
    (t) => t.name === side.target,
  );
  let served = 0;
  try {
    await checkTarget(target, flags.scenario);
    await warmUp(target, flags.scenario); // not counted
    process.kill(server.pid, 'SIGUSR2');
    await sleep(200);
    const run = await measure(target, flags.scenario, { connections: 64, amount: Number(flags.requests) });
    served = run.requests;
    process.kill(server.pid, 'SIGUSR2');
    await waitForFile(out);
  } finally {
    await server.stop('SIGINT');
  }
  const profile = JSON.parse(readFileSync(out, 'utf8'));
  rmSync(dir, { recursive: true, force: true });
  const maps = new Map();
  const byFunction = new Map();
  const byModule = new Map();
  let total = 0;
  const add = (map, key, bytes) => map.set(key, (map.get(key) ?? 0) + bytes);
  const visit = (node) => {
    const { functionName, url, lineNumber, columnNumber } = node.callFrame;
    const [module, line] = locate(url, lineNumber, columnNumber, maps);
    add(byFunction, `${functionName || '(anonymous)'} ${module}:${line}`, node.selfSize);
    add(byModule, module, node.selfSize);
    total += node.selfSize;
    for (const child of node.children) visit(child);
  };
  visit(profile.head);
  const perRequest = (map) => new Map([...map].map(([key, bytes]) => [key, bytes / 1024 / served]));
  process.stderr.write(`${side.label}: ${served} requests sampled\n`);
  return { total: total / 1024 / served, byModule: perRequest(byModule), byFunction: perRequest(byFunction) };
}

const [base, engine] = await measureSides(SIDES, allocationsOf);
const top = Number(flags.top);
process.stdout.write(
  excessReport(
    [
      `${flags.scenario} (${SIDES[1].target}): KB allocated per request — json pipe ${base.total.toFixed(1)}, engine ${engine.total.toFixed(1)}`,
    ],
    'KB per request',
    base,
    engine,
    top,
    2,
  ),
);
