/**
 * API list prices in USD per million tokens (checked 2026-11-01), overridable under `prices:` in
 * config. Subscription traffic is priced the same way to show what it would have cost.
 */
export const PRICES_DATE = '2026-11-01';

export interface Price {
  input: number;
  output: number;
  cached_input?: number;
}

export const DEFAULT_PRICES: Record<string, Price> = {
  'gpt-4o': { input: 2.5, output: 10, cached_input: 1.25 },
  'gpt-4o-mini': { input: 0.15, output: 0.6, cached_input: 0.075 },
  'gpt-4.1': { input: 2, output: 8, cached_input: 0.5 },
  'gpt-5': { input: 1.25, output: 10, cached_input: 0.125 },
  'gpt-5-mini': { input: 0.25, output: 2, cached_input: 0.025 },
  'gpt-5-codex': { input: 1.25, output: 10, cached_input: 0.125 },
  'claude-opus-4-1': { input: 15, output: 75, cached_input: 1.5 },
  'claude-sonnet-4-5': { input: 3, output: 15, cached_input: 0.3 },
  'claude-sonnet-4': { input: 3, output: 15, cached_input: 0.3 },
  'claude-haiku-4-5': { input: 1, output: 5, cached_input: 0.1 },
  'gemini-2.5-pro': { input: 1.25, output: 10, cached_input: 0.31 },
  'gemini-2.5-flash': { input: 0.3, output: 2.5, cached_input: 0.075 },
};

/** Family matches per price table (tables are replaced, never edited, when the config changes). */
const familyMatches = new WeakMap<Record<string, Price>, Map<string, string | undefined>>();
const MAX_REMEMBERED_MODELS = 1_000;

/** The price of a model id, matching dated snapshots (`gpt-4o-2024-08-06`) to their family. */
export function priceFor(model: string, prices: Record<string, Price>): Price | undefined {
  if (prices[model]) return prices[model];
  let remembered = familyMatches.get(prices);
  if (!remembered) {
    remembered = new Map();
    familyMatches.set(prices, remembered);
  }
  let family = remembered.get(model);
  if (family === undefined && !remembered.has(model)) {
    family = Object.keys(prices)
      .filter((name) => model.startsWith(`${name}-`) || model.startsWith(`${name}.`))
      .sort((a, b) => b.length - a.length)[0];
    if (remembered.size >= MAX_REMEMBERED_MODELS) remembered.clear();
    remembered.set(model, family);
  }
  return family ? prices[family] : undefined;
}

/** Cost in USD: cached input at its own price, the rest of the input and the output at theirs. */
export function costUsd(
  model: string,
  usage: { input: number; output: number; cached: number },
  prices: Record<string, Price>,
): number {
  const price = priceFor(model, prices);
  if (!price) return 0;
  const cached = Math.min(usage.cached, usage.input);
  const cost =
    ((usage.input - cached) * price.input +
      cached * (price.cached_input ?? price.input) +
      usage.output * price.output) /
    1_000_000;
  return Math.round(cost * 1e8) / 1e8;
}
