import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sampleRecord } from '../../test/helpers/records';
import { listQuery, UsageStore } from './store';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cliproxy-usage-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const record = sampleRecord;

describe('UsageStore', () => {
  it('keeps records across a reopen (restart)', async () => {
    const path = join(dir, 'usage.db');
    const store = new UsageStore(path);
    store.add(record({ id: 'keep-me' }));
    await store.close();
    const again = new UsageStore(path);
    expect((await again.list()).items.map((r) => r.id)).toEqual(['keep-me']);
    expect((await again.list()).items[0]?.attempts).toEqual([
      { provider: 'p', account: 'p', status: 200, reason: 'ok', duration_ms: 10 },
    ]);
    await again.close();
  });

  it('migrates a database written by an older version', async () => {
    const path = join(dir, 'old.db');
    const { DatabaseSync } = await import('node:sqlite');
    const old = new DatabaseSync(path);
    old.exec(`CREATE TABLE requests (id TEXT PRIMARY KEY, started_at INTEGER NOT NULL, client_key TEXT, inbound_format TEXT NOT NULL,
      model TEXT NOT NULL, resolved_model TEXT, provider TEXT, account TEXT, attempts TEXT NOT NULL, status INTEGER NOT NULL,
      error TEXT, stream INTEGER NOT NULL, ttft_ms INTEGER, duration_ms INTEGER NOT NULL, input_tokens INTEGER NOT NULL,
      output_tokens INTEGER NOT NULL, cached_tokens INTEGER NOT NULL, reasoning_tokens INTEGER NOT NULL,
      output_tokens_per_second REAL, cost_usd REAL NOT NULL, request_bytes INTEGER NOT NULL, response_bytes INTEGER NOT NULL);
      PRAGMA user_version = 1;`);
    old.exec(
      `INSERT INTO requests VALUES ('v1-row', 1, NULL, 'claude', 'm', NULL, NULL, NULL, '[]', 200, NULL, 0, NULL, 5, 1, 1, 0, 0, NULL, 0, 1, 1)`,
    );
    old.close();
    const store = new UsageStore(path);
    expect((await store.list()).items).toMatchObject([{ id: 'v1-row', subscription: false }]);
    store.add(record({ id: 'v2-row', subscription: true }));
    expect((await store.list()).items.map((r) => [r.id, r.subscription])).toEqual([
      ['v2-row', true],
      ['v1-row', false],
    ]);
    await store.close();
  });

  it('pages newest first with filters', async () => {
    const store = new UsageStore(join(dir, 'u.db'));
    for (let i = 0; i < 5; i++) store.add(record({ model: i % 2 ? 'a' : 'b', status: i === 4 ? 500 : 200 }));
    const first = await store.list({ limit: 2 });
    expect(first.items).toHaveLength(2);
    const second = await store.list({ limit: 2, before: first.next });
    expect(second.items[0]?.started_at).toBeLessThan(first.items[1]?.started_at ?? 0);
    expect((await store.list({ model: 'a' })).items).toHaveLength(2);
    expect((await store.list({ status: 500 })).items).toHaveLength(1);
    await store.close();
  });

  it('pages by model or provider along an index, never sorting every match', async () => {
    const path = join(dir, 'plan.db');
    await new UsageStore(path).close();
    const { DatabaseSync } = await import('node:sqlite');
    const db = new DatabaseSync(path);
    const indexes = (db.prepare('PRAGMA index_list(requests)').all() as Array<{ name: string }>)
      .map((index) => index.name)
      .filter((name) => !name.startsWith('sqlite_'))
      .sort();
    // account and client key are never filtered on: no index for them to slow every insert.
    expect(indexes).toEqual(['requests_model', 'requests_provider', 'requests_time']);
    const planOf = (filter: Parameters<typeof listQuery>[0]) => {
      const { sql, params } = listQuery(filter);
      return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>)
        .map((step) => step.detail)
        .join(' | ');
    };
    for (const [filter, index] of [
      [{ model: 'claude-sonnet-4-5' }, 'requests_model'],
      [{ model: 'gpt-4o', before: 1_000 }, 'requests_model'],
      [{ provider: 'anthropic', limit: 200 }, 'requests_provider'],
    ] as const) {
      const plan = planOf(filter);
      expect(plan).toContain(`USING INDEX ${index}`);
      expect(plan).not.toContain('TEMP B-TREE');
    }
    expect(planOf({})).not.toContain('TEMP B-TREE');
    db.close();
  });

  it('builds time series by bucket and group with latency percentiles', async () => {
    const store = new UsageStore(join(dir, 's.db'));
    const t0 = 1_700_000_040_000 - (1_700_000_040_000 % 60_000);
    for (let i = 1; i <= 20; i++)
      store.add(record({ started_at: t0 + i * 100, duration_ms: i * 10, model: 'm1' }));
    store.add(
      record({
        started_at: t0 + 61_000,
        duration_ms: 5,
        model: 'm2',
        status: 429,
        subscription: true,
        cost_usd: 0.5,
      }),
    );
    const points = await store.series({ from: t0, to: t0 + 120_000, bucket: 'minute', groupBy: 'model' });
    expect(points).toHaveLength(2);
    expect(points[0]).toMatchObject({
      t: t0,
      group: 'm1',
      requests: 20,
      errors: 0,
      p50_ms: 100,
      p95_ms: 190,
      input_tokens: 200,
    });
    expect(points[1]).toMatchObject({
      t: t0 + 60_000,
      group: 'm2',
      requests: 1,
      errors: 1,
      cost_usd: 0.5,
      saved_usd: 0.5,
    });
    expect(points[0]?.saved_usd).toBe(0);
    await store.close();
  });

  it('ranks the busiest groups', async () => {
    const store = new UsageStore(join(dir, 't.db'));
    for (const model of ['a', 'b', 'b', 'c', 'c', 'c']) store.add(record({ model, started_at: 1_000 }));
    expect(
      (await store.top({ from: 0, to: 2_000, by: 'model', limit: 2 })).map((t) => [t.group, t.requests]),
    ).toEqual([
      ['c', 3],
      ['b', 2],
    ]);
    await store.close();
  });

  it('prunes records older than the retention', async () => {
    const store = new UsageStore(join(dir, 'p.db'));
    const now = Date.now();
    store.add(record({ started_at: now - 100 * 86_400_000 }));
    store.add(record({ started_at: now - 10 * 86_400_000 }));
    expect(await store.prune(90, now)).toBe(1);
    expect((await store.list()).items).toHaveLength(1);
    await store.close();
  });

  it('keeps bodies beside their records, across a reopen, and prunes them with them', async () => {
    const path = join(dir, 'b.db');
    const store = new UsageStore(path);
    const now = Date.now();
    const body = (id: string) => ({
      id,
      request: `{"q":"${id}"}`,
      response: null,
      request_truncated: false,
      response_truncated: true,
    });
    store.add(record({ id: 'old', started_at: now - 100 * 86_400_000 }), body('old'));
    store.add(record({ id: 'new', started_at: now }), body('new'));
    store.add(record({ id: 'bare', started_at: now }));
    await store.close();
    const again = new UsageStore(path);
    expect(await again.bodies('new')).toEqual(body('new'));
    expect(await again.bodies('bare')).toBeUndefined();
    expect(await again.prune(90, now)).toBe(1);
    expect(await again.bodies('old')).toBeUndefined();
    expect(await again.bodies('new')).toEqual(body('new'));
    await again.close();
  });

  it('starts its writer thread with the first write and stops it when idle, losing nothing', async () => {
    const store = new UsageStore(join(dir, 'idle.db'), { idleStopMs: 50 });
    expect(store.writerRunning).toBe(false);
    expect((await store.list()).items).toEqual([]);
    expect(store.writerRunning).toBe(false);
    store.add(record({ id: 'first' }));
    await store.settle();
    expect(store.writerRunning).toBe(true);
    await vi.waitFor(() => expect(store.writerRunning).toBe(false), { timeout: 2_000 });
    store.add(record({ id: 'second' }));
    await store.settle();
    expect((await store.list()).items.map((r) => r.id).sort()).toEqual(['first', 'second']);
    await store.close();
  });

  it('keeps the writer while it holds rows the disk refused', async () => {
    const store = new UsageStore(join(dir, 'held.db'), { idleStopMs: 50 });
    store.add(record({ id: 'a' }));
    await store.settle();
    await store.execInWriter('PRAGMA query_only = ON');
    store.add(record({ id: 'held' }));
    await store.settle();
    expect(store.lastError).toContain('usage log write failed');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(store.writerRunning).toBe(true);
    await store.execInWriter('PRAGMA query_only = OFF');
    await store.settle();
    expect(store.lastError).toBeUndefined();
    expect((await store.list()).items.map((r) => r.id).sort()).toEqual(['a', 'held']);
    await vi.waitFor(() => expect(store.writerRunning).toBe(false), { timeout: 2_000 });
    await store.close();
  });

  it('keeps rows and reports the error when the disk refuses writes, then catches up', async () => {
    const store = new UsageStore(join(dir, 'f.db'));
    store.add(record());
    await store.settle();
    await store.execInWriter('PRAGMA query_only = ON');
    store.add(record({ id: 'pending' }));
    await store.settle();
    expect(store.lastError).toContain('usage log write failed');
    await store.execInWriter('PRAGMA query_only = OFF');
    store.add(record({ id: 'later' }));
    await store.settle();
    expect(store.lastError).toBeUndefined();
    expect((await store.list()).items.map((r) => r.id)).toEqual(expect.arrayContaining(['pending', 'later']));
    await store.close();
  });
});
