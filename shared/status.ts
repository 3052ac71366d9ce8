/** Types that cross the boundary between the engine and its UIs (tray, window, browser). */

export interface ConfigIssue {
  /** Dotted key path such as `providers[0].models[1].name`; empty for the whole file. */
  path: string;
  line: number;
  col: number;
  message: string;
}

export interface EngineStatus {
  running: boolean;
  url: string | null;
  /** Problems of the config file on disk; the last good config keeps serving meanwhile. */
  configIssues: ConfigIssue[];
  warnings: string[];
  loadedAt: number;
  /** Accounts cooling down per model, soonest end first. */
  cooldowns: CooldownView[];
  /** Last health check per provider name (on demand, and after a cooldown ends). */
  health: Record<string, ProviderHealth>;
  /** Quota windows per account, from the upstreams' rate-limit headers. */
  quotas: AccountQuota[];
  /** Why the usage log is not recording (disk full, unopenable database); null when it is. */
  usageLogError: string | null;
  /** Files in auth_dir that could not be read as accounts (torn, hand-edited); they serve nothing. */
  accountFileProblems: AccountFileProblem[];
}

export interface AccountFileProblem {
  /** The file's name inside auth_dir. */
  file: string;
  reason: string;
}

export interface ProviderHealth {
  ok: boolean;
  /** HTTP status of the check; null when no answer came. */
  status: number | null;
  latencyMs: number;
  /** Epoch milliseconds. */
  checkedAt: number;
  error?: string;
}

export interface CooldownView {
  provider: string;
  account: string;
  model: string;
  /** Epoch milliseconds. */
  until: number;
  reason: string;
  status?: number;
}

export interface QuotaWindow {
  /** `requests`, `tokens`, `5h`, `7d`... */
  name: string;
  limit?: number;
  remaining?: number;
  used_percent?: number;
  /** Epoch milliseconds. */
  resets_at?: number;
}

/** How much of a window is used, 0–100, from whichever numbers the provider gave; null when none. */
export function usedPercent(window: QuotaWindow): number | null {
  if (window.used_percent !== undefined) return Math.min(100, Math.max(0, window.used_percent));
  if (window.limit && window.remaining !== undefined)
    return Math.min(100, Math.max(0, ((window.limit - window.remaining) / window.limit) * 100));
  return null;
}

export interface AccountQuota {
  provider: string;
  account: string;
  windows: QuotaWindow[];
  /** Epoch milliseconds of the answer the windows came from. */
  updated_at: number;
}
