import type { ReasoningEffort } from './ir';

/** Effort levels as token budgets, as the field uses them (see WIRE.md). */
const BUDGETS: Record<ReasoningEffort, number> = { minimal: 512, low: 1024, medium: 8192, high: 24576 };

export function effortToBudget(effort: ReasoningEffort): number {
  return BUDGETS[effort];
}

/** The effort whose budget is nearest to the given one (on a log scale). */
export function budgetToEffort(budget: number): ReasoningEffort {
  let best: ReasoningEffort = 'medium';
  let distance = Number.POSITIVE_INFINITY;
  for (const [effort, value] of Object.entries(BUDGETS) as Array<[ReasoningEffort, number]>) {
    const d = Math.abs(Math.log(Math.max(1, budget)) - Math.log(value));
    if (d < distance) {
      distance = d;
      best = effort;
    }
  }
  return best;
}

export function isEffort(value: unknown): value is ReasoningEffort {
  return value === 'minimal' || value === 'low' || value === 'medium' || value === 'high';
}
