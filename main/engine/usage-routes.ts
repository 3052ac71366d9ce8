import { type EventEmitter, once } from 'node:events';
import express, { type Request, type Response, type Router } from 'express';
import type { LoginUpdate } from '../../shared/contract';
import type { RequestRecord, RequestStarted, UsageBucket, UsageGroup } from '../../shared/records';
import { REQUEST_CSV_HEADER, requestCsvLine } from '../../shared/requests-csv';
import type { EngineStatus } from '../../shared/status';
import type { PrometheusMetrics } from '../metrics/prometheus';
import type { Recorder } from '../metrics/recorder';
import type { UsageStore } from '../metrics/store';
import { apiError } from './http-errors';
import { sendFormatError } from './respond';

export interface UsageDeps {
  store?: UsageStore;
  /** `usage_db: off`: no store, by the user's choice. */
  off?: boolean;
  /** Why there is no store when the user wanted one (the database could not be opened). */
  unavailable?: string;
  prometheus: PrometheusMetrics;
  recorder: Recorder;
}

const BUCKETS = new Set<UsageBucket>(['minute', 'hour', 'day']);
const GROUPS = new Set<UsageGroup>(['model', 'provider', 'account', 'client_key']);

function num(value: unknown): number | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

function noStore(res: Response, deps: UsageDeps): void {
  const why = deps.off
    ? 'The usage log is off (usage_db: off in the config): no requests are recorded.'
    : `The usage log is not available: ${deps.unavailable ?? 'see the engine log for why'}.`;
  sendFormatError(res, 'openai-chat', apiError(503, why));
}

/** /v0/management request log, usage series, CSV export and live events (behind the management secret). */
export function usageRouter(
  deps: UsageDeps,
  onStateChanged: (listener: (status: EngineStatus) => void) => () => void,
  logins?: EventEmitter<{ loginChanged: [LoginUpdate] }>,
): Router {
  const router = express.Router();
  router.get('/requests', async (req, res) => {
    if (!deps.store) return noStore(res, deps);
    const q = req.query as Record<string, unknown>;
    res.json(
      await deps.store.list({
        ...(num(q.limit) !== undefined ? { limit: num(q.limit) } : {}),
        ...(num(q.before) !== undefined ? { before: num(q.before) } : {}),
        ...(typeof q.model === 'string' ? { model: q.model } : {}),
        ...(typeof q.provider === 'string' ? { provider: q.provider } : {}),
        ...(num(q.status) !== undefined ? { status: num(q.status) } : {}),
      }),
    );
  });
  router.get('/requests/:id/bodies', async (req, res) => {
    if (!deps.store) return noStore(res, deps);
    const bodies = await deps.store.bodies(String(req.params.id));
    if (bodies) return void res.json(bodies);
    sendFormatError(
      res,
      'openai-chat',
      apiError(404, 'No bodies were kept for this request (log_bodies was off, or it was pruned).', {
        code: 'not_found',
      }),
    );
  });
  router.get('/usage', async (req, res) => {
    if (!deps.store) return noStore(res, deps);
    const q = req.query as Record<string, unknown>;
    const to = num(q.to) ?? Date.now();
    const from = num(q.from) ?? to - 86_400_000;
    const bucket = (BUCKETS.has(q.bucket as UsageBucket) ? q.bucket : 'hour') as UsageBucket;
    const groupBy = GROUPS.has(q.group_by as UsageGroup) ? (q.group_by as UsageGroup) : undefined;
    if (q.group_by !== undefined && !groupBy) {
      sendFormatError(
        res,
        'openai-chat',
        apiError(400, 'group_by must be model, provider, account or client_key', { param: 'group_by' }),
      );
      return;
    }
    res.json({
      from,
      to,
      bucket,
      group_by: groupBy ?? null,
      points: await deps.store.series({ from, to, bucket, ...(groupBy ? { groupBy } : {}) }),
    });
  });
  router.get('/usage/top', async (req, res) => {
    if (!deps.store) return noStore(res, deps);
    const q = req.query as Record<string, unknown>;
    const by = (GROUPS.has(q.by as UsageGroup) ? q.by : 'model') as UsageGroup;
    const to = num(q.to) ?? Date.now();
    res.json({
      by,
      items: await deps.store.top({
        from: num(q.from) ?? to - 86_400_000,
        to,
        by,
        limit: num(q.limit) ?? 10,
      }),
    });
  });
  router.get('/live', (_req, res) => {
    res.json({ seconds: deps.recorder.live.window() });
  });
  router.get('/requests.csv', async (_req, res) => {
    if (!deps.store) return noStore(res, deps);
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', 'attachment; filename="cliproxy-requests.csv"');
    await deps.store.settle();
    res.write(`${REQUEST_CSV_HEADER}\n`);
    let lines: string[] = [];
    for (const record of deps.store.iterate()) {
      lines.push(requestCsvLine(record));
      if (lines.length >= 500) {
        const ok = res.write(`${lines.join('\n')}\n`);
        lines = [];
        if (!ok) await once(res, 'drain');
        if (res.destroyed) return;
      }
    }
    res.end(lines.length ? `${lines.join('\n')}\n` : '');
  });
  router.get('/events', (req: Request, res: Response) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.write(': connected\n\n');
    const send = (record: RequestRecord) =>
      res.write(`event: requestLogged\ndata: ${JSON.stringify(record)}\n\n`);
    deps.recorder.on('requestLogged', send);
    const sendStarted = (started: RequestStarted) =>
      res.write(`event: requestStarted\ndata: ${JSON.stringify(started)}\n\n`);
    deps.recorder.on('requestStarted', sendStarted);
    const unsubscribe = onStateChanged((status) =>
      res.write(`event: stateChanged\ndata: ${JSON.stringify(status)}\n\n`),
    );
    const sendLogin = (update: LoginUpdate) =>
      res.write(`event: loginChanged\ndata: ${JSON.stringify(update)}\n\n`);
    logins?.on('loginChanged', sendLogin);
    const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
    req.on('close', () => {
      clearInterval(ping);
      deps.recorder.off('requestLogged', send);
      deps.recorder.off('requestStarted', sendStarted);
      logins?.off('loginChanged', sendLogin);
      unsubscribe();
    });
  });
  return router;
}
