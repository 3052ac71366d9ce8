import type { AppState } from '../../shared/contract';
import { usedPercent } from '../../shared/status';
import type { TrayState } from './tray-menu';

export interface TodayCounters {
  requests: number;
  errors: number;
}

const SIGN_IN: Record<string, 'browser' | 'device'> = { oauth: 'browser', device_flow: 'device' };

/** A quota this full is worth a glance from the tray. */
const QUOTA_NOTE_PERCENT = 80;

/** The one thing about a provider the tray should say, most urgent first; undefined when all is well. */
export function providerNote(app: AppState, provider: string): string | undefined {
  const cooling = app.status.cooldowns.filter((c) => c.provider === provider).length;
  if (cooling > 0) return `${cooling} cooling down`;
  if (app.status.health[provider]?.ok === false) return 'failing its health check';
  const used = app.status.quotas
    .filter((q) => q.provider === provider)
    .flatMap((q) => q.windows.map((w) => usedPercent(w) ?? 0));
  const most = Math.max(0, ...used);
  return most >= QUOTA_NOTE_PERCENT ? `quota ${Math.round(most)}% used` : undefined;
}

/** The tray's view of the app: derived from the contract's state, today's counters and prefs. */
export function toTrayState(
  app: AppState,
  today: TodayCounters,
  launchAtLogin: boolean,
  apiKey: string | null,
): TrayState {
  return {
    running: app.status.running,
    url: app.status.url,
    requestsToday: today.requests,
    errorsToday: today.errors,
    configError: app.status.configIssues.length > 0,
    providers: app.providers.map((p) => {
      const signIn = SIGN_IN[p.authType];
      const note = providerNote(app, p.name);
      return {
        name: p.name,
        enabled: p.enabled,
        accounts: app.accounts.filter((a) => a.provider === p.name && a.status === 'active').length,
        ...(signIn ? { signIn } : {}),
        ...(note ? { note } : {}),
      };
    }),
    launchAtLogin,
    hasApiKey: apiKey !== null,
  };
}

/** Counts today's requests from the live feed; the count starts over at local midnight. */
export class TodayCounter {
  private day: string;
  private counts: TodayCounters;

  constructor(
    initial: TodayCounters,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.day = this.now().toDateString();
    this.counts = { ...initial };
  }

  add(status: number): void {
    this.rollOver();
    this.counts.requests += 1;
    if (status >= 400) this.counts.errors += 1;
  }

  get(): TodayCounters {
    this.rollOver();
    return { ...this.counts };
  }

  private rollOver(): void {
    const day = this.now().toDateString();
    if (day !== this.day) {
      this.day = day;
      this.counts = { requests: 0, errors: 0 };
    }
  }
}

export function startOfLocalDay(now: Date): number {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime();
}
