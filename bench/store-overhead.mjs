// Benchmark: the request path's throughput with the usage store on and off (issue 6).
// Runs everything on 127.0.0.1: a minimal upstream in this process, the built engine in a child
// process per variant, and a keep-alive load of N requests at a fixed concurrency.
// Usage: npm run build && node bench/store-overhead.mjs [requests] [concurrency]
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';

const TOTAL = Number(process.argv[2] ?? 6000);
const CONCURRENCY = Number(process.argv[3] ?? 32);
const ROUNDS = 5;
const answer = JSON.stringify({
  id: 'chatcmpl-b',
  object: 'chat.completion',
  created: 1,
  model: 'gpt-4o-mini',
  choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 12, completion_tokens: 1, total_tokens: 13 },
});

const upstream = createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(answer));
}).listen(0, '127.0.0.1');
await once(upstream, 'listening');
const upstreamUrl = `http://127.0.0.1:${upstream.address().port}`;

async function startEngine(usageDb) {
  const dir = mkdtempSync(join(tmpdir(), 'cliproxy-bench-'));
  const config = join(dir, 'config.yaml');
  writeFileSync(
    config,
    `port: 0\nauth_dir: ${join(dir, 'auths')}\nusage_db: ${usageDb === 'off' ? 'off' : join(dir, 'usage.db')}\nproviders:\n  - {name: u, type: openai, api_key: k, endpoint: "${upstreamUrl}", models: [{name: gpt-4o-mini}]}\n`,
  );
  const child = spawn(process.execPath, ['dist/cli.mjs', 'serve', '--config', config], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let out = '';
  for await (const chunk of child.stdout) {
    out += chunk;
    const match = /listening on (\S+)/.exec(out);
    if (match) return { url: match[1], stop: () => child.kill('SIGTERM') };
  }
  throw new Error('engine did not start');
}

async function load(url, total) {
  const pool = new Pool(url, { connections: CONCURRENCY, pipelining: 1 });
  const body = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
  const latencies = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < total) {
        next++;
        const t = performance.now();
        const res = await pool.request({
          path: '/v1/chat/completions',
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        await res.body.dump();
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  latencies.sort((a, b) => a - b);
  return {
    rps: total / seconds,
    p50: latencies[Math.floor(latencies.length / 2)],
    p99: latencies[Math.floor(latencies.length * 0.99)],
  };
}

// Both engines run side by side and rounds alternate, so a noisy moment on this shared machine
// hits both variants instead of biasing one.
const engines = { off: await startEngine('off'), on: await startEngine('on') };
const rounds = { off: [], on: [] };
for (const variant of ['off', 'on']) await load(engines[variant].url, 500); // warm-up
for (let i = 0; i < ROUNDS; i++) {
  for (const variant of i % 2 ? ['on', 'off'] : ['off', 'on'])
    rounds[variant].push(await load(engines[variant].url, TOTAL));
}
for (const engine of Object.values(engines)) engine.stop();
const median = (list) => [...list].sort((a, b) => b.rps - a.rps)[Math.floor(list.length / 2)];
const results = { off: median(rounds.off), on: median(rounds.on) };
upstream.close();
const ratio = results.on.rps / results.off.rps;
const row = (name, r) => `| ${name} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} |`;
console.log(
  [
    `Usage store overhead — ${TOTAL} requests x ${ROUNDS} alternating rounds (median), concurrency ${CONCURRENCY}, node ${process.version}`,
    '',
    '| usage store | req/s | p50 ms | p99 ms |',
    '|---|---|---|---|',
    row('off', results.off),
    row('on', results.on),
    '',
    `on/off throughput: ${(ratio * 100).toFixed(1)}% (target: within 5%)`,
  ].join('\n'),
);
