/** Why an attempt failed, as far as cooling down is concerned. */
export type FailureKind = 'rate_limit' | 'auth' | 'not_found' | 'server' | 'timeout' | 'network';

export interface Failure {
  kind: FailureKind;
  status?: number;
  /** Seconds from the upstream's Retry-After. */
  retryAfter?: number;
  /** The provider's configured `cooldown`, the first step of the 429 backoff. */
  baseCooldownMs: number;
  message?: string;
}

export interface Cooldown {
  account: string;
  model: string;
  until: number;
  reason: string;
  status?: number;
  /** Consecutive failures of this kind, which drives the exponential backoff. */
  strikes: number;
}

export const MAX_RATE_LIMIT_MS = 30 * 60_000;
/**
 * The longest wait an upstream's Retry-After is taken at: a week, the longest quota window of the
 * subscriptions served (Codex and Claude weekly limits). A larger value is a broken header, and
 * honouring it would bench the account for good.
 */
export const MAX_RETRY_AFTER_MS = 7 * 24 * 3_600_000;
const FIXED_MS: Record<Exclude<FailureKind, 'rate_limit'>, number> = {
  auth: 30 * 60_000,
  not_found: 12 * 3_600_000,
  server: 60_000,
  timeout: 60_000,
  network: 60_000,
};

export function failureKindForStatus(status: number): FailureKind | undefined {
  if (status === 429) return 'rate_limit';
  if (status === 401 || status === 402 || status === 403) return 'auth';
  if (status === 404) return 'not_found';
  if (status === 408 || status === 504) return 'timeout';
  if (status >= 500) return 'server';
  return undefined;
}

/**
 * Cooldowns per (account, model): quota exhaustion on one model must not bench the account for the
 * others, and a success clears the entry at once so nobody stays stuck after the upstream recovered.
 */
export class CooldownBook {
  private readonly entries = new Map<string, Cooldown>();

  constructor(
    private readonly now: () => number = Date.now,
    /** Told about every new cooldown (the engine re-checks the provider's health when it ends). */
    private readonly onCooldown?: (entry: Cooldown) => void,
  ) {}

  private static key(account: string, model: string): string {
    return `${account}\u0000${model}`;
  }

  recordFailure(account: string, model: string, failure: Failure): Cooldown {
    const key = CooldownBook.key(account, model);
    const previous = this.entries.get(key);
    const strikes = previous?.reason.startsWith(failure.kind) ? previous.strikes + 1 : 1;
    let ms: number;
    if (failure.kind === 'rate_limit') {
      ms =
        failure.retryAfter !== undefined
          ? Math.min(MAX_RETRY_AFTER_MS, failure.retryAfter * 1_000)
          : Math.min(MAX_RATE_LIMIT_MS, Math.max(1_000, failure.baseCooldownMs) * 2 ** (strikes - 1));
    } else ms = FIXED_MS[failure.kind];
    const entry: Cooldown = {
      account,
      model,
      until: this.now() + ms,
      reason: failure.message ? `${failure.kind}: ${failure.message}` : failure.kind,
      strikes,
      ...(failure.status !== undefined ? { status: failure.status } : {}),
    };
    this.entries.set(key, entry);
    this.onCooldown?.(entry);
    return entry;
  }

  recordSuccess(account: string, model: string): void {
    this.entries.delete(CooldownBook.key(account, model));
  }

  /** The active cooldown, or undefined when the pair may be used now. */
  active(account: string, model: string): Cooldown | undefined {
    const entry = this.entries.get(CooldownBook.key(account, model));
    if (!entry) return undefined;
    // An expired entry is kept for its strike count (the next 429 backs off further) but is not active.
    return entry.until > this.now() ? entry : undefined;
  }

  /** Active cooldowns, soonest first, for status and the UI. */
  list(): Cooldown[] {
    const now = this.now();
    return [...this.entries.values()].filter((e) => e.until > now).sort((a, b) => a.until - b.until);
  }

  /**
   * Ends the account's active cooldowns now (the user's "Try now"). The entries stay, with their
   * strikes, so a further 429 still backs off from where it was. Returns how many were active.
   */
  endCooldowns(account: string): number {
    const now = this.now();
    let ended = 0;
    for (const entry of this.entries.values()) {
      if (entry.account !== account || entry.until <= now) continue;
      entry.until = now;
      ended++;
    }
    return ended;
  }

  clearAccount(account: string): void {
    for (const [key, entry] of this.entries) if (entry.account === account) this.entries.delete(key);
  }
}
