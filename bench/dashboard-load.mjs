// Benchmark (issue 8): does the dashboard stay smooth while the proxy serves 50 requests/s?
// The built engine and the bench mock upstream run in their own processes; Chromium shows the
// Dashboard (live charts) and then the Requests page (live table) while a paced client sends
// `--rps` requests per second through the proxy. In the page: frame intervals (requestAnimationFrame),
// long tasks (PerformanceObserver), the JS heap before/after and the DOM size; the store keeps bounded
// series and renders in batches, so none of these should grow with the number of requests.
//
// Usage: npm run bench:dashboard -- [--rps 50] [--seconds 20] [--out file.md]
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { launchChromium } from '../e2e/browser/chromium.ts';
import { startMock } from './lib/processes.mjs';

const { values: flags } = parseArgs({
  options: {
    rps: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '20' },
    out: { type: 'string' },
    chromium: { type: 'string' }, // default: CLIPROXY_CHROMIUM or /usr/bin/chromium
  },
});
const RPS = Number(flags.rps);
const SECONDS = Number(flags.seconds);
const SECRET = 'bench-management-secret-0123';
const log = (line) => process.stderr.write(`${line}\n`);

async function startEngine(upstream) {
  const dir = mkdtempSync(join(tmpdir(), 'cliproxy-dash-bench-'));
  const config = join(dir, 'config.yaml');
  writeFileSync(
    config,
    [
      'port: 0',
      `management_secret: ${SECRET}`,
      `auth_dir: ${join(dir, 'auths')}`,
      `usage_db: ${join(dir, 'usage.db')}`,
      'providers:',
      `  - {name: oai, type: openai, api_key: sk-bench, endpoint: "${upstream}", models: [{name: bench}]}`,
      `  - {name: ant, type: claude, api_key: sk-ant-bench, endpoint: "${upstream}", models: [{name: bench-claude}]}`,
      '',
    ].join('\n'),
  );
  const child = spawn(process.execPath, ['dist/cli.mjs', 'serve', '--config', config], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  for await (const chunk of child.stdout) {
    out += chunk;
    const match = /listening on (http:\/\/\S+)/.exec(out);
    if (match) {
      child.stdout.resume();
      return {
        url: match[1],
        async stop() {
          child.kill('SIGTERM');
          await once(child, 'exit');
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }
  }
  throw new Error('the engine did not start');
}

/** Sends `rps` requests a second (alternating passthrough and translation) until `stop()`. */
function pacedLoad(url, rps) {
  let sent = 0;
  let failed = 0;
  const body = (model) =>
    JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }], max_tokens: 16 });
  const timer = setInterval(() => {
    const model = sent % 2 === 0 ? 'bench' : 'bench-claude';
    sent++;
    fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: body(model),
    })
      .then((res) => {
        if (!res.ok) failed++;
        return res.arrayBuffer();
      })
      .catch(() => failed++);
  }, 1000 / rps);
  return {
    stop() {
      clearInterval(timer);
      return { sent, failed };
    },
  };
}

/** Installed in the page: records frame intervals and long tasks until collected. */
function installProbe() {
  const probe = { frames: [], longTasks: [], running: true };
  let last = performance.now();
  const tick = (t) => {
    probe.frames.push(t - last);
    last = t;
    if (probe.running) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) probe.longTasks.push(entry.duration);
  }).observe({ type: 'longtask', buffered: false });
  window.__probe = probe;
}

function collectProbe() {
  const probe = window.__probe;
  probe.running = false;
  return {
    frames: probe.frames.slice(1),
    longTasks: probe.longTasks,
    heap: performance.memory?.usedJSHeapSize ?? null,
    nodes: document.getElementsByTagName('*').length,
  };
}

const quantile = (values, q) => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};
const mb = (bytes) => (bytes === null ? 'n/a' : (bytes / 1024 / 1024).toFixed(1));

async function measurePage(page, engineUrl, title) {
  await page
    .getByRole('navigation', { name: 'Pages' })
    .getByRole('link', { name: title, exact: true })
    .click();
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
  await page.waitForTimeout(1_000);
  const heapBefore = await page.evaluate(() => performance.memory?.usedJSHeapSize ?? null);
  await page.evaluate(installProbe);
  const load = pacedLoad(engineUrl, RPS);
  await page.waitForTimeout(SECONDS * 1000);
  const { sent, failed } = load.stop();
  const probe = await page.evaluate(collectProbe);
  await page.waitForTimeout(500);
  const fps = probe.frames.length / SECONDS;
  return {
    page: title,
    sent,
    failed,
    fps,
    p50: quantile(probe.frames, 0.5),
    p95: quantile(probe.frames, 0.95),
    max: Math.max(0, ...probe.frames),
    longTasks: probe.longTasks.length,
    longTaskMs: probe.longTasks.reduce((a, b) => a + b, 0),
    heapBefore,
    heapAfter: probe.heap,
    nodes: probe.nodes,
  };
}

const mock = await startMock();
const engine = await startEngine(mock.url);
const browser = await launchChromium({
  executablePath: flags.chromium,
  extraArgs: ['--enable-precise-memory-info'],
});
const rows = [];
try {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 860 } })).newPage();
  await page.goto(`${engine.url}/ui/`);
  await page.getByLabel('Management secret').fill(SECRET);
  await page.getByRole('button', { name: 'Open dashboard' }).click();
  await page.getByRole('navigation', { name: 'Pages' }).waitFor();
  for (const title of ['Dashboard', 'Requests']) {
    log(`measuring ${title}: ${RPS} req/s for ${SECONDS} s…`);
    rows.push(await measurePage(page, engine.url, title));
  }
} finally {
  await browser.close();
  await engine.stop();
  await mock.stop();
}

const table = [
  `Dashboard under load — ${RPS} req/s for ${SECONDS} s per page, Chromium ${browser.version()}, node ${process.version}`,
  '',
  '| page | requests (failed) | frames/s | frame p50 ms | frame p95 ms | worst frame ms | long tasks (total ms) | JS heap before → after MB | DOM nodes |',
  '|---|---|---|---|---|---|---|---|---|',
  ...rows.map(
    (r) =>
      `| ${r.page} | ${r.sent} (${r.failed}) | ${r.fps.toFixed(1)} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.max.toFixed(0)} | ${r.longTasks} (${r.longTaskMs.toFixed(0)}) | ${mb(r.heapBefore)} → ${mb(r.heapAfter)} | ${r.nodes} |`,
  ),
  '',
].join('\n');
process.stdout.write(`${table}\n`);
if (flags.out) writeFileSync(flags.out, table);
