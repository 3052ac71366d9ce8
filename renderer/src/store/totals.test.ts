import { describe, expect, it } from 'vitest';
import { record } from '../test-utils/records';
import { addToTotals, emptyTotals, startOfLocalDay, topModels } from './totals';

describe('cost totals and top models', () => {
  it('adds live requests to today, 30 days and the model ranking', () => {
    const now = new Date(2026, 0, 15, 12).getTime();
    let totals = emptyTotals(now);
    totals = addToTotals(
      totals,
      [
        record({ started_at: now, cost_usd: 0.5, model: 'a' }),
        record({ started_at: now, cost_usd: 0.25, model: 'b', subscription: true }),
        record({ started_at: now, cost_usd: 0.25, model: 'b' }),
      ],
      now,
    );
    expect(totals.costToday).toBe(1);
    expect(totals.savedToday).toBe(0.25);
    expect(totals.cost30d).toBe(1);
    expect(topModels(totals).map((m) => [m.model, m.requests])).toEqual([
      ['b', 2],
      ['a', 1],
    ]);
  });

  it('starts a new day at local midnight', () => {
    const evening = new Date(2026, 0, 15, 23, 59).getTime();
    const morning = new Date(2026, 0, 16, 0, 1).getTime();
    let totals = addToTotals(emptyTotals(evening), [record({ started_at: evening, cost_usd: 2 })], evening);
    totals = addToTotals(totals, [record({ started_at: morning, cost_usd: 1 })], morning);
    expect(totals.costToday).toBe(1);
    expect(totals.cost30d).toBe(3);
    expect(totals.dayStart).toBe(startOfLocalDay(morning));
  });
});
