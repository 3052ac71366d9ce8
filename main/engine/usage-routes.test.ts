import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../shared/records';
import { PrometheusMetrics } from '../metrics/prometheus';
import { Recorder } from '../metrics/recorder';
import { UsageStore } from '../metrics/store';
import { usageRouter } from './usage-routes';

const ROWS = 100_000;
let dir: string;
let store: UsageStore;
let url: string;
let close: () => void;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cliproxy-csv-'));
  store = new UsageStore(join(dir, 'big.db'));
  const base: RequestRecord = {
    id: '',
    started_at: 0,
    client_key: 'k',
    inbound_format: 'claude',
    model: 'claude-sonnet-4-5',
    resolved_model: 'claude-sonnet-4-5',
    provider: 'anthropic',
    account: 'anthropic',
    attempts: [
      { provider: 'anthropic', account: 'anthropic', status: 200, reason: 'ok, "quoted"', duration_ms: 12 },
    ],
    status: 200,
    error: null,
    stream: true,
    ttft_ms: 120,
    duration_ms: 900,
    input_tokens: 1200,
    output_tokens: 300,
    cached_tokens: 100,
    reasoning_tokens: 0,
    output_tokens_per_second: 45.5,
    cost_usd: 0.0081,
    subscription: false,
    request_bytes: 5000,
    response_bytes: 9000,
  };
  for (let i = 0; i < ROWS; i++) store.add({ ...base, id: `row-${i}`, started_at: 1_700_000_000_000 + i });
  await store.settle();
  const app = express();
  app.use(
    usageRouter(
      {
        store,
        prometheus: new PrometheusMetrics(() => {
          throw new Error('unused');
        }),
        recorder: new Recorder(store, undefined, () => ({})),
      },
      () => () => undefined,
    ),
  );
  const server = createServer(app).listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
}, 120_000);

afterAll(async () => {
  close();
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe('CSV export', () => {
  it('streams 100k rows with bounded memory', async () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    const heap = () => {
      gc?.();
      return process.memoryUsage().heapUsed;
    };
    const baseline = heap();
    let peak = baseline;
    const res = await fetch(`${url}/requests.csv`);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const reader = res.body?.getReader();
    let lines = 0;
    let bytes = 0;
    let chunks = 0;
    const decoder = new TextDecoder();
    for (;;) {
      const chunk = await reader?.read();
      if (!chunk || chunk.done) break;
      chunks++;
      bytes += chunk.value.length;
      lines += decoder.decode(chunk.value, { stream: true }).split('\n').length - 1;
      if (chunks % 50 === 0) peak = Math.max(peak, heap());
    }
    expect(lines).toBe(ROWS + 1);
    expect(chunks).toBeGreaterThan(100);
    // The export is ~30 MB of text; holding it (or 100k row objects) would retain far more than this.
    expect(gc).toBeDefined();
    expect(peak - baseline).toBeLessThan(bytes / 4);
  }, 60_000);
});
