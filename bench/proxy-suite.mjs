// Benchmark (issue 9): the engine against the floor cost of a Node proxy and against Portkey.
// Everything on 127.0.0.1, each server in its own process: the mock upstream, a bare keep-alive pipe
// proxy, a "json pipe" that also reads and parses what it relays (a proxy's floor once it must read
// the model and check the answer), the built engine (usage log on, in a temp dir) and Portkey's
// gateway. The client always
// speaks OpenAI chat completions; "translation" targets reach an Anthropic provider behind the proxy.
//
// This machine class is shared and noisy: every table cell is the median of `rounds` runs, and the
// rounds visit the targets in rotating order so a noisy moment does not land on one target, reversed
// every other round so no target always runs after the same neighbour (see roundOrder).
//
// Memory: RSS of each proxy idle after start, its peak under load, and the engine's and the bare
// pipe's after a soak each and `settle` seconds of idleness (V8 gives memory back only after some
// idle time, and pooled keep-alive connections close after 30 s); and of two engines resting through
// the run, one untouched and one used once at the start. The engine is soaked `soaks` times, each
// followed by the settle time: whether more requests keep adding memory (a leak) or it stays flat.
//
// Streams are measured twice: the mock's 20-chunk stream, and 500-chunk streams (an agent's longer
// answer), where what the engine does per chunk outweighs what it does per request. The long
// streams run last, after the soaks, and the engine's RSS after them is reported on its own.
//
// The headline comparison (chat and streams at c=64) runs `main-rounds` rounds, the rest `rounds`:
// one 2 s run's CPU per request moves by a quarter either way from one run to the next on these
// machines, so three rounds were too few for the ratios the targets are about.
//
// Usage: npm run bench -- [--seconds 2] [--rounds 3] [--main-rounds 9] [--soak 100000] [--soaks 2]
//                         [--settle 35] [--no-portkey] [--out results.md]
import { writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { checkTarget, measure, PAUSE_BETWEEN_RUNS_MS, pacedStreams, roundOrder } from './lib/load.mjs';
import { startBareProxy, startEngine, startJsonPipe, startMock, startPortkey } from './lib/processes.mjs';
import { render } from './lib/report.mjs';
import { defineTargets } from './lib/targets.mjs';

const { values: flags } = parseArgs({
  options: {
    seconds: { type: 'string', default: '2' },
    rounds: { type: 'string', default: '3' },
    'main-rounds': { type: 'string', default: '9' },
    soak: { type: 'string', default: '100000' },
    soaks: { type: 'string', default: '2' },
    settle: { type: 'string', default: '35' },
    'no-portkey': { type: 'boolean', default: false },
    out: { type: 'string' },
  },
});
const settings = {
  seconds: Number(flags.seconds),
  rounds: Number(flags.rounds),
  mainRounds: Number(flags['main-rounds']),
  soak: Number(flags.soak),
  soaks: Math.max(1, Number(flags.soaks)),
  settle: Number(flags.settle),
  main: 64,
  levels: [1, 16, 64, 256],
  chunks: 20,
  longChunks: 500,
  largeConnections: 4,
  pacedStreams: 100,
};
const log = (line) => process.stderr.write(`${line}\n`);

const mock = await startMock();
const bare = await startBareProxy(mock.url);
const jsonPipe = await startJsonPipe(mock.url);
const engine = await startEngine(mock.url);
// Two more engines rest through the run, one untouched and one after four requests at the start:
// what a tray engine holds settled, before and after its first use (the modules it loads on first
// use, its caches), apart from any load.
const untouched = await startEngine(mock.url, { name: 'engine, untouched' });
const usedOnce = await startEngine(mock.url, { name: 'engine, used once' });
const portkey = flags['no-portkey'] ? undefined : await startPortkey();
const servers = [mock, bare, jsonPipe, engine, untouched, usedOnce, portkey].filter(Boolean);
const proxies = [bare, engine, portkey].filter(Boolean);
const memory = Object.fromEntries(proxies.map((server) => [server.name, {}]));
await sleep(3_000);
for (const server of proxies) memory[server.name].idle = server.memory();
memory.resting = { usedOnceBefore: usedOnce.memory() };
for (const target of defineTargets({ mock: mock.url, bare: bare.url, engine: usedOnce.url }))
  if (target.origin === usedOnce.url)
    for (const scenario of ['chat', 'stream']) await checkTarget(target, scenario);
const restingSince = performance.now();

const targets = defineTargets({
  mock: mock.url,
  bare: bare.url,
  jsonPipe: jsonPipe.url,
  engine: engine.url,
  portkey: portkey?.url,
});
const serverOf = (target) => servers.find((s) => target.origin === s.url);
const results = {
  targets: targets.map((t) => t.name),
  sweep: {},
  stream: {},
  paced: {},
  long: {},
  large: {},
  memory,
};

/** Samples the RSS of the process behind the target while it is under load (not the mock's). */
function peakTracker(target) {
  const server = serverOf(target);
  const entry = server && memory[server.name];
  if (!entry) return undefined;
  return () => {
    const now = server.memory();
    if (now && now.rss > (entry.peak?.rss ?? 0)) entry.peak = now;
  };
}

async function run(target, scenario, options) {
  const result = await measure(target, scenario, {
    ...options,
    onTick: peakTracker(target),
    server: serverOf(target),
  });
  if (result.failed > 0) log(`  ! ${target.name} ${scenario}: ${result.failed} failed requests`);
  log(
    `  ${target.name.padEnd(20)} ${scenario.padEnd(6)} c=${String(options.connections).padEnd(3)} ${result.rps.toFixed(0).padStart(6)} req/s  p50 ${result.p50.toFixed(2)} ms  p99 ${result.p99.toFixed(2)} ms`,
  );
  return result;
}

/**
 * Every target `rounds` times (see roundOrder); per target, the run with the median throughput,
 * with the median CPU per request of all its runs and every run's throughput in round order
 * (`roundRps`, for ratios between targets measured seconds apart).
 */
async function alternating(scenario, options, among = targets, rounds = settings.rounds) {
  const runs = new Map(among.map((t) => [t.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const target of roundOrder(among, round)) {
      await sleep(PAUSE_BETWEEN_RUNS_MS);
      runs.get(target.name).push(await run(target, scenario, options));
    }
  }
  const middle = (list, key) => [...list].sort((a, b) => a[key] - b[key])[Math.floor(list.length / 2)];
  return Object.fromEntries(
    [...runs].map(([name, list]) => [
      name,
      { ...middle(list, 'rps'), cpuUs: middle(list, 'cpuUs').cpuUs, roundRps: list.map((r) => r.rps) },
    ]),
  );
}

try {
  log('checking every target answers correctly');
  for (const target of targets)
    for (const scenario of ['chat', 'stream']) await checkTarget(target, scenario);

  log('warm-up');
  for (const target of targets) {
    await measure(target, 'chat', { connections: 16, seconds: 2 });
    await measure(target, 'stream', { connections: 16, seconds: 1 });
  }

  log('chat completions, concurrency sweep');
  for (const connections of settings.levels) {
    const rounds = connections === settings.main ? settings.mainRounds : settings.rounds;
    const medians = await alternating('chat', { connections, seconds: settings.seconds }, targets, rounds);
    for (const [name, result] of Object.entries(medians)) {
      results.sweep[name] ??= {};
      results.sweep[name][connections] = result;
    }
  }

  log('streaming');
  results.stream = await alternating(
    'stream',
    { connections: settings.main, seconds: settings.seconds },
    targets,
    settings.mainRounds,
  );
  for (const target of targets)
    results.paced[target.name] = await pacedStreams(target, settings.pacedStreams);

  log('1 MB prompt');
  results.large = await alternating('large', {
    connections: settings.largeConnections,
    seconds: settings.seconds,
  });

  if (settings.soak > 0) {
    // The bare pipe gets the same number of requests first (chat and stream; it cannot translate):
    // how much RSS any Node proxy keeps after a burst is the yardstick for the engine's.
    const pipe = targets.find((t) => t.origin === bare.url);
    log(`soak: ${settings.soak} requests through the bare pipe (chat and stream), for reference`);
    const pipeSoak = await measure(pipe, 'chat', {
      connections: settings.main,
      amount: settings.soak,
      mix: [
        { target: pipe, scenario: 'chat' },
        { target: pipe, scenario: 'stream' },
      ],
      onTick: peakTracker(pipe),
    });
    log(`  ${pipeSoak.requests} ok, ${pipeSoak.failed} failed (${pipeSoak.rps.toFixed(0)} req/s)`);
    const [pass, translate] = targets.filter((t) => t.origin === engine.url);
    memory.engine.laterSoaks = [];
    for (let round = 1; round <= settings.soaks; round++) {
      log(
        `soak ${round}/${settings.soaks}: ${settings.soak} requests through the engine (passthrough and translation, stream and not)`,
      );
      const started = performance.now();
      const soak = await measure(pass, 'chat', {
        connections: settings.main,
        amount: settings.soak,
        mix: [
          { target: pass, scenario: 'chat' },
          { target: translate, scenario: 'chat' },
          { target: pass, scenario: 'stream' },
          { target: translate, scenario: 'stream' },
        ],
        onTick: peakTracker(pass),
      });
      log(
        `  ${soak.requests} ok, ${soak.failed} failed in ${((performance.now() - started) / 1000).toFixed(1)} s (${soak.rps.toFixed(0)} req/s)`,
      );
      await sleep(settings.settle * 1000);
      if (round > 1) memory.engine.laterSoaks.push(engine.memory());
      else {
        memory.engine.afterSoak = engine.memory();
        memory.bare.afterSoak = bare.memory();
      }
    }
  }
  // After the soaks, so the soak's memory stays comparable with the runs before this phase existed;
  // what the long streams leave is measured on its own, after the same idle time.
  // Not through Portkey, which spends about 50 µs on every chunk (the streaming table above).
  log(`long streams (${settings.longChunks} chunks)`);
  const notPortkey = targets.filter((t) => !portkey || t.origin !== portkey.url);
  for (const target of notPortkey) await checkTarget(target, 'long');
  results.long = await alternating(
    'long',
    { connections: settings.main, seconds: settings.seconds },
    notPortkey,
  );
  await sleep(settings.settle * 1000);
  memory.engine.afterLong = engine.memory();

  Object.assign(memory.resting, {
    untouched: untouched.memory(),
    usedOnce: usedOnce.memory(),
    seconds: (performance.now() - restingSince) / 1000,
  });
} finally {
  for (const server of servers) await server.stop();
}

const report = render(results, settings);
if (flags.out) writeFileSync(flags.out, `${report}\n`);
process.stdout.write(`${report}\n`);
