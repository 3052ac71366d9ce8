import type { QuotaWindow } from '../../shared/status';

type Headers = Record<string, string | string[] | undefined>;

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function num(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** OpenAI's reset durations: `1s`, `6m0s`, `20ms`, `1h2m3.5s`. */
export function parseResetDuration(value: string | undefined): number | undefined {
  if (!value) return undefined;
  let ms = 0;
  let matched = false;
  for (const [, amount, unit] of value.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)) {
    matched = true;
    ms += Number(amount) * (unit === 'h' ? 3_600_000 : unit === 'm' ? 60_000 : unit === 's' ? 1_000 : 1);
  }
  return matched ? ms : undefined;
}

function window(
  name: string,
  limit: number | undefined,
  remaining: number | undefined,
  resetsAt: number | undefined,
): QuotaWindow | undefined {
  if (limit === undefined && remaining === undefined && resetsAt === undefined) return undefined;
  const usedPercent =
    limit && remaining !== undefined ? Math.round(((limit - remaining) / limit) * 1000) / 10 : undefined;
  return {
    name,
    ...(limit !== undefined ? { limit } : {}),
    ...(remaining !== undefined ? { remaining } : {}),
    ...(usedPercent !== undefined ? { used_percent: usedPercent } : {}),
    ...(resetsAt !== undefined ? { resets_at: resetsAt } : {}),
  };
}

const QUOTA_HEADER_PREFIXES = ['anthropic-ratelimit-', 'x-ratelimit-', 'x-codex-'];

/** Whether any header could carry a quota window: most answers carry none, and this runs on every one. */
function hasQuotaHeaders(headers: Headers): boolean {
  for (const name in headers) {
    if (QUOTA_HEADER_PREFIXES.some((prefix) => name.startsWith(prefix))) return true;
  }
  return false;
}

/**
 * Quota windows from an upstream's rate-limit headers: Anthropic's `anthropic-ratelimit-*` (API keys)
 * and `anthropic-ratelimit-unified-*` (subscriptions), OpenAI's `x-ratelimit-*`, and Codex's
 * `x-codex-primary/secondary-*` usage windows.
 */
export function quotaFromHeaders(headers: Headers, now = Date.now()): QuotaWindow[] {
  if (!hasQuotaHeaders(headers)) return [];
  const out: Array<QuotaWindow | undefined> = [];
  for (const kind of ['requests', 'tokens', 'input-tokens', 'output-tokens']) {
    const reset = header(headers, `anthropic-ratelimit-${kind}-reset`);
    out.push(
      window(
        kind,
        num(header(headers, `anthropic-ratelimit-${kind}-limit`)),
        num(header(headers, `anthropic-ratelimit-${kind}-remaining`)),
        reset ? Date.parse(reset) || undefined : undefined,
      ),
    );
  }
  for (const span of ['5h', '7d']) {
    const utilization = num(header(headers, `anthropic-ratelimit-unified-${span}-utilization`));
    const reset = num(header(headers, `anthropic-ratelimit-unified-${span}-reset`));
    if (utilization !== undefined || reset !== undefined) {
      out.push({
        name: span,
        ...(utilization !== undefined ? { used_percent: Math.round(utilization * 1000) / 10 } : {}),
        ...(reset !== undefined ? { resets_at: reset * 1000 } : {}),
      });
    }
  }
  for (const kind of ['requests', 'tokens']) {
    const reset = parseResetDuration(header(headers, `x-ratelimit-reset-${kind}`));
    out.push(
      window(
        kind,
        num(header(headers, `x-ratelimit-limit-${kind}`)),
        num(header(headers, `x-ratelimit-remaining-${kind}`)),
        reset !== undefined ? now + reset : undefined,
      ),
    );
  }
  for (const which of ['primary', 'secondary']) {
    const used = num(header(headers, `x-codex-${which}-used-percent`));
    const minutes = num(header(headers, `x-codex-${which}-window-minutes`));
    const after = num(header(headers, `x-codex-${which}-reset-after-seconds`));
    if (used !== undefined) {
      out.push({
        name:
          minutes !== undefined
            ? minutes >= 1440
              ? `${Math.round(minutes / 1440)}d`
              : `${Math.round(minutes / 60)}h`
            : which,
        used_percent: used,
        ...(after !== undefined ? { resets_at: now + after * 1000 } : {}),
      });
    }
  }
  return out.filter((w): w is QuotaWindow => w !== undefined);
}
