// Profiles the engine on the request path: for each scenario, a fresh engine process under
// `node --cpu-prof` gets keep-alive load from the mock upstream's client side, then stops and its
// profile is summarized (self and inclusive time by function and module) and drawn as a flame graph
// (an SVG beside the profile; open it in any browser). "bare pipe chat" and
// "bare pipe stream" profile the bare pipe the same way, the floor to compare against.
// Usage: npm run bench:profile -- [--seconds 6] [--connections 64] [--only chat,stream] [--keep]
//        npm run bench:profile -- --only "bare pipe"
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { summarizeProfile } from './lib/cpu-profile.mjs';
import { flameGraphSvg } from './lib/flame-graph.mjs';
import { checkTarget, measure, warmUp } from './lib/load.mjs';
import { startBareProxy, startEngine, startMock } from './lib/processes.mjs';
import { defineTargets } from './lib/targets.mjs';

const { values: flags } = parseArgs({
  options: {
    seconds: { type: 'string', default: '6' },
    connections: { type: 'string', default: '64' },
    only: { type: 'string' },
    top: { type: 'string', default: '25' },
  },
});
const SCENARIOS = [
  { name: 'passthrough chat', target: 'engine passthrough', scenario: 'chat' },
  { name: 'translation chat', target: 'engine translation', scenario: 'chat' },
  { name: 'passthrough stream', target: 'engine passthrough', scenario: 'stream' },
  { name: 'translation stream', target: 'engine translation', scenario: 'stream' },
  { name: 'passthrough 1 MB', target: 'engine passthrough', scenario: 'large' },
  { name: 'translation 1 MB', target: 'engine translation', scenario: 'large' },
  { name: 'bare pipe chat', target: 'bare pipe', scenario: 'chat', optIn: true },
  { name: 'bare pipe stream', target: 'bare pipe', scenario: 'stream', optIn: true },
];
const only = flags.only?.split(',');
const chosen = SCENARIOS.filter((s) => (only ? only.some((word) => s.name.includes(word)) : !s.optIn));

const mock = await startMock();
try {
  for (const run of chosen) {
    const dir = mkdtempSync(join(tmpdir(), 'cliproxy-prof-'));
    const nodeArgs = ['--cpu-prof', '--cpu-prof-dir', dir];
    const server =
      run.target === 'bare pipe'
        ? await startBareProxy(mock.url, { nodeArgs })
        : await startEngine(mock.url, { nodeArgs });
    const target = defineTargets({ mock: mock.url, bare: server.url, engine: server.url }).find(
      (t) => t.name === run.target,
    );
    let result;
    try {
      await checkTarget(target, run.scenario === 'large' ? 'chat' : run.scenario);
      const connections = run.scenario === 'large' ? 4 : Number(flags.connections);
      await warmUp(target, run.scenario, connections);
      result = await measure(target, run.scenario, { connections, seconds: Number(flags.seconds) });
    } finally {
      await server.stop('SIGINT');
    }
    const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
    process.stdout.write(
      `\n=== ${run.name}: ${result.rps.toFixed(0)} req/s, p50 ${result.p50.toFixed(2)} ms (${join(dir, file ?? '?')})\n`,
    );
    if (file) {
      const flame = join(dir, 'flame.svg');
      writeFileSync(flame, flameGraphSvg(join(dir, file), { title: `${run.name} (${run.target})` }));
      process.stdout.write(`flame graph: ${flame}\n`);
      process.stdout.write(`${summarizeProfile(join(dir, file), { top: Number(flags.top) })}\n`);
    }
  }
} finally {
  await mock.stop();
}
