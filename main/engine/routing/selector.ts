import type { ProviderConfig } from '../../config/schema';
import type { Cooldown, CooldownBook } from './cooldowns';
import type { ModelRoute } from './registry';

export type RoutingStrategy = 'round_robin' | 'fill_first';

/** One account of one provider that can serve the requested model. */
export interface Candidate {
  route: ModelRoute;
  /** Stable account id used by the cooldown book and the request log. */
  account: string;
}

export interface Selection {
  /** Usable now, in the order to try them. */
  candidates: Candidate[];
  /** Candidates skipped because they are cooling down. */
  cooling: Cooldown[];
}

/** Who can serve a provider entry: its API key, or its signed-in accounts. */
export interface AccountLister {
  accountsFor(provider: ProviderConfig): string[];
}

/** One account per provider, named after it (API keys; tests). */
const PROVIDER_AS_ACCOUNT: AccountLister = { accountsFor: (provider) => [provider.name] };

/**
 * Orders candidates: higher priority first; within a priority, round_robin rotates a cursor per
 * model so load spreads, fill_first keeps the config order so one account is used until it cools.
 */
const MAX_CURSORS = 10_000;

export class Selector {
  private readonly cursors = new Map<string, number>();

  select(
    model: string,
    routes: readonly ModelRoute[],
    strategy: RoutingStrategy,
    book: CooldownBook,
    accounts: AccountLister = PROVIDER_AS_ACCOUNT,
  ): Selection {
    const candidates: Candidate[] = [];
    const cooling: Cooldown[] = [];
    for (const group of routes.length === 1 ? [routes] : groupByPriority(routes)) {
      const usable: Candidate[] = [];
      for (const route of group) {
        for (const account of accounts.accountsFor(route.provider)) {
          const cooldown = book.active(account, route.upstreamModel);
          if (cooldown) cooling.push(cooldown);
          else usable.push({ route, account });
        }
      }
      if (strategy === 'round_robin' && usable.length > 1)
        candidates.push(...this.rotate(`${model}\u0000${group[0]?.provider.priority}`, usable));
      else candidates.push(...usable);
    }
    return { candidates, cooling };
  }

  private rotate(key: string, list: Candidate[]): Candidate[] {
    const cursor = this.cursors.get(key) ?? 0;
    // Keys hold the client's model name, which under an aggregator's prefix can be anything: a
    // bounded map, restarted when full (the rotation starts over, nothing else is lost).
    if (cursor === 0 && this.cursors.size >= MAX_CURSORS) this.cursors.clear();
    this.cursors.set(key, (cursor + 1) % 1_000_000);
    const start = cursor % list.length;
    return [...list.slice(start), ...list.slice(0, start)];
  }
}

function groupByPriority(routes: readonly ModelRoute[]): ModelRoute[][] {
  const groups: ModelRoute[][] = [];
  for (const route of routes) {
    const last = groups.at(-1);
    if (last && last[0]?.provider.priority === route.provider.priority) last.push(route);
    else groups.push([route]);
  }
  return groups;
}
