// Load generation: autocannon for keep-alive throughput (its C-speed parser keeps the client cheap
// on two cores), with each response's exact duration taken from its 'response' event (autocannon's
// own histogram rounds to whole milliseconds). A plain undici client for paced streams.
import autocannon from 'autocannon';
import { Client } from 'undici';
import { requestFor } from './targets.mjs';

/**
 * The order in which a round visits the targets. Rotating alone gives every target the same
 * predecessor each round, and a run pays for what its predecessor left behind (its GC, the engine's
 * usage writer flushing): A/A runs of one build showed the second copy 3–6% slower. Odd rounds go
 * backwards, so each target follows a different neighbour in turn.
 */
export function roundOrder(targets, round) {
  const rotated = targets.map((_, i) => targets[(i + round) % targets.length]);
  return round % 2 === 1 ? rotated.reverse() : rotated;
}

/**
 * Load before the measured run: enough requests for V8 to optimize a server's hot path. The diff
 * tools start recording after it; bench:profile's profile covers the whole process, this included. The engine, with Maglev off (fix 38; Node 22 has none), runs its first ~20,000 requests
 * largely in baseline code: on Node 24, perf put 74 µs of a chat request in baseline code after 1 s
 * of load at c=64, 6-7 after 5-10 s and 3 after 30 s; the json pipe (Maglev on) had none. With the
 * earlier 1 s warm-up at c=16, a 20,000-request perf-diff charged 27 µs per request to baseline code.
 */
export const WARM_UP = { connections: 64, seconds: 10 };

/** Runs WARM_UP's load on `target` (`connections` for a scenario that needs fewer, e.g. 1 MB prompts). */
export function warmUp(target, scenario, connections = WARM_UP.connections) {
  return measure(target, scenario, { ...WARM_UP, connections });
}

/** The pause between two timed runs, for what the last one left behind to finish. */
export const PAUSE_BETWEEN_RUNS_MS = 500;

export function percentile(sorted, p) {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

/**
 * Keep-alive load on one target: `connections` concurrent clients for `seconds` (or `amount`
 * requests in total). `mix` ([{target, scenario}] on the same origin) replaces the single request
 * with a rotation, as the soak does. `server` (a process handle): also measure its CPU per request.
 */
export async function measure(target, scenario, { connections, seconds, amount, mix, onTick, server }) {
  const first = requestFor(target, scenario);
  const latencies = [];
  const instance = autocannon({
    url: first.url,
    method: 'POST',
    headers: first.headers,
    body: first.body,
    connections,
    pipelining: 1,
    timeout: 30,
    ...(amount ? { amount } : { duration: seconds }),
    ...(mix
      ? {
          requests: mix.map((item) => {
            const { headers, body } = requestFor(item.target, item.scenario);
            return { method: 'POST', path: '/v1/chat/completions', headers, body };
          }),
        }
      : {}),
  });
  instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  const ticker = onTick ? setInterval(onTick, 250) : undefined;
  const cpuBefore = server?.cpuSeconds();
  const mainBefore = server?.mainThreadCpuSeconds?.();
  const result = await instance;
  const cpuAfter = server?.cpuSeconds();
  const mainAfter = server?.mainThreadCpuSeconds?.();
  if (ticker) clearInterval(ticker);
  latencies.sort((a, b) => a - b);
  const ok = result['2xx'];
  return {
    requests: ok,
    failed: result.errors + result.timeouts + result.non2xx,
    rps: ok / (result.duration || seconds),
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    mbPerSec: result.throughput.average / 1e6,
    // CPU time the proxy process spent per answered request, in µs (when its process is known).
    cpuUs:
      cpuAfter !== undefined && cpuBefore !== undefined && ok > 0
        ? ((cpuAfter - cpuBefore) * 1e6) / ok
        : undefined,
    // The same for its main thread alone.
    mainCpuUs:
      mainAfter !== undefined && mainBefore !== undefined && ok > 0
        ? ((mainAfter - mainBefore) * 1e6) / ok
        : undefined,
  };
}

const STAMP = /@(\d+\.\d+);/g;

/**
 * Paced streams one after another on one keep-alive connection: time to the first body byte, and
 * each chunk's delivery delay (arrival here minus the mock's send time written into the chunk).
 */
export async function pacedStreams(target, count) {
  const { url, headers, body } = requestFor(target, 'paced');
  const { origin, pathname } = new URL(url);
  const client = new Client(origin, { pipelining: 1, keepAliveTimeout: 30_000 });
  const ttfb = [];
  const delays = [];
  const now = () => performance.timeOrigin + performance.now();
  try {
    for (let i = 0; i < count; i++) {
      const started = performance.now();
      const answer = await client.request({ path: pathname, method: 'POST', headers, body });
      let firstAt;
      let text = '';
      let stamps = 0;
      for await (const chunk of answer.body) {
        const arrived = now();
        firstAt ??= performance.now();
        text += chunk.toString('utf8');
        // Scan whole stamps only; a stamp split across reads is completed by the next one.
        let consumed = 0;
        for (const match of text.matchAll(STAMP)) {
          delays.push(arrived - Number(match[1]));
          consumed = match.index + match[0].length;
          stamps++;
        }
        text = text.slice(consumed).slice(-64);
      }
      if (answer.statusCode !== 200 || stamps === 0)
        throw new Error(`${target.name}: paced stream answered ${answer.statusCode} with ${stamps} chunks`);
      if (i > 0) ttfb.push(firstAt - started); // the first one opens the connection
    }
  } finally {
    await client.close();
  }
  ttfb.sort((a, b) => a - b);
  delays.sort((a, b) => a - b);
  return {
    ttfbP50: percentile(ttfb, 0.5),
    ttfbP99: percentile(ttfb, 0.99),
    chunkP50: percentile(delays, 0.5),
    chunkP99: percentile(delays, 0.99),
  };
}

/** One request of a scenario, its body checked, before anything is timed: a broken target fails loudly. */
export async function checkTarget(target, scenario) {
  const { url, headers, body } = requestFor(target, scenario);
  const answer = await fetch(url, { method: 'POST', headers, body });
  const text = await answer.text();
  const streamed = scenario === 'stream' || scenario === 'long';
  const valid =
    answer.ok && text.includes('lorem') && (!streamed || (text.includes('data:') && text.includes('[DONE]')));
  if (!valid) throw new Error(`${target.name} ${scenario}: HTTP ${answer.status} ${text.slice(0, 300)}`);
}
