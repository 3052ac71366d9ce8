// Before/after for an engine change: two builds of the engine side by side against one mock
// upstream and the bare pipe, in alternating rounds so the shared machine's noise hits both alike.
// Each row also gives the proxy process's CPU time per request (all its threads), the steadier measure.
// Build the "before" in another worktree (`git worktree add ../base <commit>`, then
// `node scripts/build-main.mjs` there) and pass its dist/cli.mjs.
// Usage: npm run bench:ab -- --before ../base/dist/cli.mjs [--seconds 2] [--rounds 5] [--connections 64]
//                           [--scenarios chat,stream,large]   (also long: 500-chunk streams; see lib/targets.mjs)
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { checkTarget, measure, PAUSE_BETWEEN_RUNS_MS, roundOrder, warmUp } from './lib/load.mjs';
import { startBareProxy, startEngine, startMock } from './lib/processes.mjs';
import { defineTargets } from './lib/targets.mjs';

const { values: flags } = parseArgs({
  options: {
    before: { type: 'string' },
    seconds: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '64' },
    scenarios: { type: 'string', default: 'chat,stream,large' },
  },
});
if (!flags.before) throw new Error('usage: npm run bench:ab -- --before <other build>/dist/cli.mjs');

const mock = await startMock();
const bare = await startBareProxy(mock.url);
const before = await startEngine(mock.url, { cli: flags.before, name: 'before' });
const after = await startEngine(mock.url, { name: 'after' });
const servers = [mock, bare, before, after];
await sleep(3_000);
const idle = { before: before.memory(), after: after.memory() };

const pick = (origin, name) =>
  defineTargets({ mock: mock.url, engine: origin })
    .filter((t) => t.origin === origin)
    .map((t) => ({ ...t, name: t.name.replace('engine', name) }));
const targets = [
  ...defineTargets({ mock: mock.url, bare: bare.url }).filter((t) => t.origin === bare.url),
  ...pick(before.url, 'before'),
  ...pick(after.url, 'after'),
];
const rows = [];
try {
  for (const scenario of flags.scenarios.split(',')) {
    for (const target of targets) await checkTarget(target, scenario === 'large' ? 'chat' : scenario);
    const connections = scenario === 'large' ? 4 : Number(flags.connections);
    for (const target of targets) await warmUp(target, scenario, connections);
    const runs = new Map(targets.map((t) => [t.name, []]));
    for (let round = 0; round < Number(flags.rounds); round++) {
      for (const target of roundOrder(targets, round)) {
        await sleep(PAUSE_BETWEEN_RUNS_MS);
        const server = servers.find((s) => s.url === target.origin);
        const result = await measure(target, scenario, {
          connections,
          seconds: Number(flags.seconds),
          server,
        });
        runs.get(target.name).push(result);
      }
    }
    const bareRps = median(runs.get('bare pipe').map((r) => r.rps));
    const bareCpu = median(runs.get('bare pipe').map((r) => r.cpuUs));
    for (const [name, list] of runs) {
      const rps = median(list.map((r) => r.rps));
      const cpu = median(list.map((r) => r.cpuUs));
      const mainCpu = median(list.map((r) => r.mainCpuUs));
      rows.push(
        `| ${scenario} c=${connections} | ${name} | ${rps.toFixed(0)} | ${(rps / bareRps).toFixed(2)}x | ${median(list.map((r) => r.p50)).toFixed(2)} | ${median(list.map((r) => r.p99)).toFixed(2)} | ${cpu?.toFixed(0) ?? '—'} | ${cpu && bareCpu ? `${(cpu / bareCpu).toFixed(2)}x` : '—'} | ${mainCpu?.toFixed(0) ?? '—'} |`,
      );
    }
  }
} finally {
  for (const server of servers) await server.stop();
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const mb = (m) => (m ? `${m.rss.toFixed(0)} (${m.anon.toFixed(0)})` : '—');
process.stdout.write(
  [
    `Engine before/after — median of ${flags.rounds} alternating rounds of ${flags.seconds} s`,
    '',
    '| scenario | target | req/s | vs bare pipe | p50 ms | p99 ms | CPU µs/req | CPU vs bare pipe | main thread µs/req |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    `idle RSS MB (private): before ${mb(idle.before)}, after ${mb(idle.after)}`,
    '',
  ].join('\n'),
);
