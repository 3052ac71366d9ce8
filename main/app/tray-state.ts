import type { AppState } from '../../shared/contract';
import type { TrayState } from './tray-menu';

export interface TodayCounters {
  requests: number;
  errors: number;
}

const SIGN_IN: Record<string, 'browser' | 'device'> = { oauth: 'browser', device_flow: 'device' };

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
      return {
        name: p.name,
        enabled: p.enabled,
        accounts: app.accounts.filter((a) => a.provider === p.name && a.status === 'active').length,
        ...(signIn ? { signIn } : {}),
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
