import type { ClientKey } from './client-auth';

const WINDOW_MS = 60_000;

export function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}

/** Whether the key's `models` allow-list (with `*` globs) lets it use the model. */
export function modelAllowed(key: ClientKey, model: string): boolean {
  if (!key.models) return true;
  return key.models.some((pattern) => globToRegExp(pattern).test(model));
}

export type LimitVerdict = { ok: true } | { ok: false; limit: 'rpm' | 'tpm'; retryAfterSeconds: number };

/**
 * Per-client-key requests and tokens per minute over a sliding window. Requests count when they
 * start; tokens when their usage is known, so a key over its tpm is refused from its next request.
 */
export class ClientLimits {
  private readonly requests = new Map<string, number[]>();
  private readonly tokens = new Map<string, Array<{ at: number; count: number }>>();

  constructor(private readonly now: () => number = Date.now) {}

  admit(key: ClientKey): LimitVerdict {
    const now = this.now();
    const since = now - WINDOW_MS;
    if (key.rpm !== undefined) {
      const times = (this.requests.get(key.name) ?? []).filter((t) => t > since);
      if (times.length >= key.rpm) {
        this.requests.set(key.name, times);
        return {
          ok: false,
          limit: 'rpm',
          retryAfterSeconds: Math.max(1, Math.ceil(((times[0] ?? now) - since) / 1000)),
        };
      }
      times.push(now);
      this.requests.set(key.name, times);
    }
    if (key.tpm !== undefined) {
      const used = (this.tokens.get(key.name) ?? []).filter((t) => t.at > since);
      this.tokens.set(key.name, used);
      const total = used.reduce((sum, t) => sum + t.count, 0);
      if (total >= key.tpm) {
        return {
          ok: false,
          limit: 'tpm',
          retryAfterSeconds: Math.max(1, Math.ceil(((used[0]?.at ?? now) - since) / 1000)),
        };
      }
    }
    return { ok: true };
  }

  recordTokens(key: ClientKey, count: number): void {
    if (key.tpm === undefined || count <= 0) return;
    const list = this.tokens.get(key.name) ?? [];
    list.push({ at: this.now(), count });
    this.tokens.set(key.name, list);
  }
}
