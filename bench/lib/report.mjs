// Markdown tables for the proxy benchmark's results.
import { execSync } from 'node:child_process';
import { cpus } from 'node:os';

const ms = (value) => (Number.isFinite(value) ? value.toFixed(2) : '—');
const int = (value) => (Number.isFinite(value) ? value.toFixed(0) : '—');
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}x` : '—');
const signed = (value) => (Number.isFinite(value) ? `${value >= 0 ? '+' : ''}${value.toFixed(2)}` : '—');

function table(head, rows) {
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ];
}

export function machine() {
  let nproc = String(cpus().length);
  try {
    nproc = execSync('nproc', { encoding: 'utf8' }).trim();
  } catch {
    // not Linux: the core count from os.cpus() stands
  }
  return `${nproc} cores (nproc), ${cpus()[0]?.model ?? 'unknown CPU'}, node ${process.version}, ${process.platform}`;
}

/**
 * The proxy process's CPU time per request and its multiple of the bare pipe's: the steadiest
 * measure of the work a proxy adds, as it leaves out time spent waiting for a core. Direct has no
 * proxy (the process behind it is the mock).
 */
function cpuCells(name, result, bare) {
  if (name === 'direct') return ['—', '—'];
  return [int(result?.cpuUs), ratio(result?.cpuUs, bare?.cpuUs)];
}

/** The headline table: throughput and latency of chat completions at the main concurrency. */
function headline(results, main) {
  const at = (name, c) => results.sweep[name]?.[c];
  const rows = results.targets.map((name) => {
    const r = at(name, main);
    const single = at(name, 1);
    return [
      name,
      int(r?.rps),
      name === 'direct' ? '—' : ratio(r?.rps, at('bare pipe', main)?.rps),
      ms(r?.p50),
      ms(r?.p99),
      ms(single?.p50),
      name === 'direct' ? '—' : signed(single?.p50 - at('direct', 1)?.p50),
      ...cpuCells(name, r, at('bare pipe', main)),
    ];
  });
  return table(
    [
      'target',
      `req/s (c=${main})`,
      'vs bare pipe',
      'p50 ms',
      'p99 ms',
      'p50 ms (c=1)',
      'added p50 ms (c=1)',
      'CPU µs/req',
      'CPU vs bare pipe',
    ],
    rows,
  );
}

function sweep(results, levels) {
  const rows = results.targets.map((name) => [
    name,
    ...levels.map((c) => {
      const r = results.sweep[name]?.[c];
      return r ? `${int(r.rps)} (${ms(r.p50)} / ${ms(r.p99)})` : '—';
    }),
  ]);
  return table(['target', ...levels.map((c) => `c=${c}: req/s (p50 / p99 ms)`)], rows);
}

function streaming(results, main, chunks) {
  const direct = results.paced.direct;
  const rows = results.targets.map((name) => {
    const s = results.stream[name];
    const p = results.paced[name];
    return [
      name,
      int(s?.rps),
      name === 'direct' ? '—' : ratio(s?.rps, results.stream['bare pipe']?.rps),
      int(s ? s.rps * chunks : Number.NaN),
      `${ms(p?.ttfbP50)} / ${ms(p?.ttfbP99)}`,
      name === 'direct'
        ? '—'
        : `${signed(p?.chunkP50 - direct?.chunkP50)} / ${signed(p?.chunkP99 - direct?.chunkP99)}`,
      ...cpuCells(name, s, results.stream['bare pipe']),
    ];
  });
  return table(
    [
      'target',
      `streams/s (c=${main})`,
      'vs bare pipe',
      'chunks/s',
      'TTFB p50 / p99 ms (c=1)',
      'added per-chunk delay p50 / p99 ms',
      'CPU µs/stream',
      'CPU vs bare pipe',
    ],
    rows,
  );
}

function long(results, main, chunks) {
  const bare = results.long['bare pipe'];
  const rows = Object.keys(results.long).map((name) => {
    const r = results.long[name];
    return [
      name,
      int(r?.rps),
      name === 'direct' ? '—' : ratio(r?.rps, bare?.rps),
      int(r ? r.rps * chunks : Number.NaN),
      ...cpuCells(name, r, bare),
    ];
  });
  return table(
    ['target', `streams/s (c=${main})`, 'vs bare pipe', 'chunks/s', 'CPU µs/stream', 'CPU vs bare pipe'],
    rows,
  );
}

function large(results, connections) {
  const rows = results.targets.map((name) => {
    const r = results.large[name];
    return [
      name,
      int(r?.rps),
      name === 'direct' ? '—' : ratio(r?.rps, results.large['bare pipe']?.rps),
      ms(r?.p50),
      ms(r?.p99),
    ];
  });
  return table([`target (c=${connections})`, 'req/s (= MiB/s in)', 'vs bare pipe', 'p50 ms', 'p99 ms'], rows);
}

const mem = (m) => (m ? `${m.rss.toFixed(0)} (${m.anon.toFixed(0)})` : '—');

function memory(results, settle) {
  const { resting, ...proxies } = results.memory;
  const rows = Object.entries(proxies).map(([name, m]) => [
    name,
    mem(m.idle),
    mem(m.peak),
    m.afterSoak
      ? `${mem(m.afterSoak)}, ${signed(((m.afterSoak.rss - m.idle.rss) / m.idle.rss) * 100)}%`
      : '—',
  ]);
  const lines = table(
    ['process', 'RSS MB (private) idle', 'peak under load', `after the soak + ${settle} s idle`],
    rows,
  );
  const later = proxies.engine?.laterSoaks ?? [];
  if (later.length > 0 && proxies.engine.afterSoak) {
    const first = proxies.engine.afterSoak.rss;
    const each = later.map(
      (m, i) =>
        `after soak ${i + 2}: ${mem(m)} MB, ${signed(((m.rss - first) / first) * 100)}% of the first soak's`,
    );
    lines.push(
      '',
      `The engine soaked again, each soak followed by the same ${settle} s idle: ${each.join('; ')}.`,
    );
  }
  const afterLong = proxies.engine?.afterLong;
  if (afterLong && proxies.engine.idle) {
    const growth = ((afterLong.rss - proxies.engine.idle.rss) / proxies.engine.idle.rss) * 100;
    lines.push(
      '',
      `After the long streams (run after the soaks) and the same ${settle} s idle: ${mem(afterLong)} MB, ${signed(growth)}% of idle.`,
    );
  }
  if (resting?.usedOnce) {
    lines.push(
      '',
      `Engines resting through the run (${resting.seconds.toFixed(0)} s): one untouched ${mem(resting.untouched)}; one after its first four requests at the start (passthrough and translation, JSON and stream) ${mem(resting.usedOnce)}, ${mem(resting.usedOnceBefore)} 3 s after start.`,
    );
  }
  return lines;
}

/**
 * A target's throughput over the bare pipe's round by round (the two runs seconds apart), as a
 * spread: how far one round's ratio can fall from the median the target is checked on.
 */
function perRoundSpread(own, bare, goal) {
  if (!own || !bare || own.length !== bare.length || own.length < 4) return '';
  const ratios = own.map((rps, i) => rps / bare[i]).sort((a, b) => a - b);
  const at = (p) => ratios[Math.round((ratios.length - 1) * p)].toFixed(2);
  const reaching = ratios.filter((r) => r >= goal).length;
  return ` (round by round ${at(0)}–${at(1)}x, middle half ${at(0.25)}–${at(0.75)}x, ${reaching} of ${ratios.length} at or above ${goal}x)`;
}

function goals(results, main) {
  const chat = (name) => results.sweep[name]?.[main];
  const stream = (name) => results.stream[name];
  const rps = (name) => chat(name)?.rps;
  const streams = (name) => stream(name)?.rps;
  const check = (ok, text) => `- ${ok ? 'met' : 'NOT met'}: ${text}`;
  /** The engine's median against the bare pipe's, with its spread round by round. */
  const againstPipe = (of, name, goal) =>
    `${ratio(of(name)?.rps, of('bare pipe')?.rps)}${perRoundSpread(of(name)?.roundRps, of('bare pipe')?.roundRps, goal)}`;
  const engine = results.memory.engine;
  const added = results.sweep['engine passthrough']?.[1]?.p50 - results.sweep.direct?.[1]?.p50;
  const lines = [
    check(
      rps('engine passthrough') >= 0.9 * rps('bare pipe'),
      `passthrough ${againstPipe(chat, 'engine passthrough', 0.9)} bare pipe throughput (target >= 0.9x)`,
    ),
    check(
      rps('engine translation') >= 0.7 * rps('bare pipe'),
      `translation ${againstPipe(chat, 'engine translation', 0.7)} bare pipe throughput (target >= 0.7x)`,
    ),
    check(added <= 0.5, `added p50 latency at c=1 ${signed(added)} ms (target <= 0.5 ms)`),
  ];
  if (streams('bare pipe')) {
    lines.push(
      `- for reference, streams: passthrough ${againstPipe(stream, 'engine passthrough', 0.9)}, translation ${againstPipe(stream, 'engine translation', 0.7)} bare pipe throughput`,
    );
  }
  // The bare pipe's own cost per request swings between runs (once above the json pipe's, which does
  // more); the json pipe is the steadier floor to read the engine against.
  if (rps('json pipe')) {
    const json = chat('json pipe');
    const cpu = (name) => chat(name)?.cpuUs;
    lines.push(
      `- for reference, against the json pipe: passthrough ${ratio(rps('engine passthrough'), json.rps)}, translation ${ratio(rps('engine translation'), json.rps)} (chat); streams ${ratio(streams('engine passthrough'), streams('json pipe'))} / ${ratio(streams('engine translation'), streams('json pipe'))}; CPU per chat request ${ratio(cpu('engine passthrough'), cpu('json pipe'))} / ${ratio(cpu('engine translation'), cpu('json pipe'))}`,
    );
  }
  const long = (name) => results.long?.[name]?.rps;
  if (long('bare pipe')) {
    lines.push(
      `- for reference, streams of 500 chunks: passthrough ${ratio(long('engine passthrough'), long('bare pipe'))}, translation ${ratio(long('engine translation'), long('bare pipe'))} bare pipe throughput`,
    );
  }
  if (rps('portkey passthrough')) {
    lines.push(
      check(
        rps('engine passthrough') >= 5 * rps('portkey passthrough'),
        `passthrough ${ratio(rps('engine passthrough'), rps('portkey passthrough'))} Portkey's (target >= 5x)`,
      ),
      check(
        rps('engine translation') >= 5 * rps('portkey translation'),
        `translation ${ratio(rps('engine translation'), rps('portkey translation'))} Portkey's (target >= 5x)`,
      ),
    );
  }
  if (engine?.idle) {
    lines.push(
      check(
        engine.idle.rss <= 80,
        `engine idle RSS ${ms(engine.idle.rss)} MB 3 s after start (target <= 80 MB)`,
      ),
    );
    const settled = results.memory.resting?.untouched;
    if (settled)
      lines.push(check(settled.rss <= 80, `engine idle RSS ${ms(settled.rss)} MB settled (target <= 80 MB)`));
    if (engine.afterSoak) {
      const growth = ((engine.afterSoak.rss - engine.idle.rss) / engine.idle.rss) * 100;
      lines.push(check(growth <= 10, `engine RSS after soak ${signed(growth)}% of idle (target <= +10%)`));
    }
    const last = engine.laterSoaks?.at(-1);
    if (last && engine.afterSoak) {
      const growth = ((last.rss - engine.afterSoak.rss) / engine.afterSoak.rss) * 100;
      lines.push(
        `- for reference, the engine's RSS after ${engine.laterSoaks.length + 1} soaks: ${signed(growth)}% of its RSS after the first (flat means no leak)`,
      );
    }
    const rested = results.memory.resting?.usedOnce;
    if (rested && engine.afterSoak) {
      const growth = ((engine.afterSoak.rss - rested.rss) / rested.rss) * 100;
      lines.push(
        `- for reference, the engine's RSS after the soak: ${signed(growth)}% of an engine at rest after use`,
      );
    }
    const pipe = results.memory.bare;
    if (pipe?.idle && pipe.afterSoak) {
      const growth = ((pipe.afterSoak.rss - pipe.idle.rss) / pipe.idle.rss) * 100;
      lines.push(`- for reference, the bare pipe's RSS after its soak: ${signed(growth)}% of idle`);
    }
  }
  return lines;
}

export function render(results, settings) {
  const { main, levels, chunks, longChunks, largeConnections, seconds, rounds, mainRounds, soak, settle } =
    settings;
  return [
    `Proxy benchmark — ${machine()}`,
    `Each cell: the median of ${rounds} runs of ${seconds} s, ${mainRounds} runs for chat and streams at c=${main} (targets in rotating order, reversed every other round, 0.5 s apart); soak ${soak} requests.`,
    'Everything on 127.0.0.1, each server in its own process; the client speaks OpenAI chat completions.',
    'The json pipe reads and parses each request body and non-stream answer whole, with no routing or accounting.',
    '',
    '### Chat completions (non-stream)',
    '',
    ...headline(results, main),
    '',
    '### Concurrency sweep',
    '',
    ...sweep(results, levels),
    '',
    `### Streaming (${chunks} chunks a stream; paced: 16 chunks 2 ms apart)`,
    '',
    ...streaming(results, main, chunks),
    '',
    `### Long streams (${longChunks} chunks a stream, back to back; Portkey not measured)`,
    '',
    ...long(results, main, longChunks),
    '',
    '### 1 MB prompt',
    '',
    ...large(results, largeConnections),
    '',
    '### Memory (RSS)',
    '',
    ...memory(results, settle),
    '',
    '### Targets',
    '',
    ...goals(results, main),
  ].join('\n');
}
