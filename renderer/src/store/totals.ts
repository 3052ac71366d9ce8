import type { RequestRecord, UsagePoint } from '../../../shared/records';

const DAY = 86_400_000;

/** Cost today (local midnight on) and over 30 days, plus requests per model over the last 24 h. */
export interface Totals {
  costToday: number;
  cost30d: number;
  savedToday: number;
  dayStart: number;
  byModel: Record<string, { requests: number; tokens: number; cost: number }>;
}

export function startOfLocalDay(now: number): number {
  const d = new Date(now);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

export const emptyTotals = (now: number): Totals => ({
  costToday: 0,
  cost30d: 0,
  savedToday: 0,
  dayStart: startOfLocalDay(now),
  byModel: {},
});

/** The 30-day figure comes from day buckets, today's from hour buckets (days are UTC in the log). */
export function totalsFromPoints(
  days: UsagePoint[],
  todayHours: UsagePoint[],
  models: UsagePoint[],
  now: number,
): Totals {
  const totals = emptyTotals(now);
  for (const p of days) totals.cost30d += p.cost_usd;
  for (const p of todayHours) {
    totals.costToday += p.cost_usd;
    totals.savedToday += p.saved_usd;
  }
  for (const p of models) {
    const entry = totals.byModel[p.group] ?? { requests: 0, tokens: 0, cost: 0 };
    totals.byModel[p.group] = entry;
    entry.requests += p.requests;
    entry.tokens += p.input_tokens + p.output_tokens;
    entry.cost += p.cost_usd;
  }
  return totals;
}

export function addToTotals(totals: Totals, records: RequestRecord[], now: number): Totals {
  const dayStart = startOfLocalDay(now);
  const next: Totals = {
    ...totals,
    byModel: { ...totals.byModel },
    ...(dayStart !== totals.dayStart ? { costToday: 0, savedToday: 0, dayStart } : {}),
  };
  for (const r of records) {
    next.cost30d += r.cost_usd;
    if (r.started_at >= dayStart) {
      next.costToday += r.cost_usd;
      if (r.subscription) next.savedToday += r.cost_usd;
    }
    const prev = next.byModel[r.model] ?? { requests: 0, tokens: 0, cost: 0 };
    next.byModel[r.model] = {
      requests: prev.requests + 1,
      tokens: prev.tokens + r.input_tokens + r.output_tokens,
      cost: prev.cost + r.cost_usd,
    };
  }
  return next;
}

export function topModels(totals: Totals, limit = 5) {
  return Object.entries(totals.byModel)
    .map(([model, v]) => ({ model, ...v }))
    .sort((a, b) => b.requests - a.requests || a.model.localeCompare(b.model))
    .slice(0, limit);
}

export { DAY };
