import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AppState } from '../../../shared/contract';
import type { Prefs, PrefsPatch } from '../../../shared/prefs';
import type { RequestRecord, RequestStarted } from '../../../shared/records';
import type { EngineStatus } from '../../../shared/status';
import type { Bridge, ConnectionState } from '../bridge/types';
import { createBatcher } from './batcher';
import { applyLive, type LiveEvent } from './in-flight';
import {
  addToSeries,
  emptySeries,
  MINUTE,
  type MinuteSeries,
  seriesFromPoints,
  WINDOW_MINUTES,
} from './live-series';
import { mergeRecent } from './recent';
import { addToTotals, DAY, emptyTotals, startOfLocalDay, type Totals, totalsFromPoints } from './totals';

export interface AppStoreState {
  connection: ConnectionState;
  app: AppState | null;
  status: EngineStatus | null;
  prefs: Prefs | null;
  /** Why the first load failed; the shell shows it instead of the pages. */
  loadError: string | null;
  recent: RequestRecord[];
  /** Requests begun and not finished yet, newest first. */
  inFlight: RequestStarted[];
  series: MinuteSeries;
  totals: Totals;
  /** Bumped on every batch of live requests, for pages that refetch their own queries. */
  requestsVersion: number;
  refreshState(): Promise<void>;
  setPrefs(patch: PrefsPatch): Promise<void>;
  ingest(records: RequestRecord[]): void;
}

export type AppStore = StoreApi<AppStoreState> & { start(): () => void };

/**
 * One store fed by the bridge: getState once, then pushed events (stateChanged, requestLogged); no
 * polling. Live requests arrive in batches so a busy proxy does not re-render the page per request.
 */
export function createAppStore(bridge: Bridge, now: () => number = Date.now): AppStore {
  const store = createStore<AppStoreState>()((set, get) => ({
    connection: { kind: 'connecting' },
    app: null,
    status: null,
    prefs: null,
    loadError: null,
    recent: [],
    inFlight: [],
    series: emptySeries(),
    totals: emptyTotals(now()),
    requestsVersion: 0,
    async refreshState() {
      const app = await bridge.getState({});
      set({ app, status: app.status, loadError: null });
    },
    async setPrefs(patch) {
      const prefs = await bridge.setPrefs(patch);
      set({ prefs });
    },
    ingest(records) {
      if (records.length === 0) return;
      const t = now();
      const { recent, series, totals, requestsVersion } = get();
      set({
        recent: mergeRecent(recent, records),
        series: addToSeries(series, records, t),
        totals: addToTotals(totals, records, t),
        requestsVersion: requestsVersion + 1,
      });
    },
  }));

  async function seed(): Promise<number> {
    const t = now();
    const [minutes, days, todayHours, models, page] = await Promise.all([
      bridge.queryUsage({ from: t - WINDOW_MINUTES * MINUTE, to: t + MINUTE, bucket: 'minute' }),
      bridge.queryUsage({ from: t - 30 * DAY, to: t + MINUTE, bucket: 'day' }),
      bridge.queryUsage({ from: startOfLocalDay(t), to: t + MINUTE, bucket: 'hour' }),
      bridge.queryUsage({ from: t - DAY, to: t + MINUTE, bucket: 'day', groupBy: 'model' }),
      bridge.queryRequests({ limit: 200 }),
    ]);
    store.setState({
      series: seriesFromPoints(minutes.points, t),
      totals: totalsFromPoints(days.points, todayHours.points, models.points, t),
      recent: mergeRecent([], page.items),
    });
    return t;
  }

  function start(): () => void {
    let seededAt: number | undefined;
    const early: RequestRecord[] = [];
    const batcher = createBatcher<LiveEvent>((events) => {
      const { inFlight, finished } = applyLive(store.getState().inFlight, events, now());
      store.setState({ inFlight });
      store.getState().ingest(finished);
    });
    let refreshTimer: ReturnType<typeof setTimeout> | undefined;
    const refreshSoon = () => {
      // A reload can add or remove providers; one getState per burst of changes is enough.
      refreshTimer ??= setTimeout(() => {
        refreshTimer = undefined;
        store
          .getState()
          .refreshState()
          .catch(() => undefined);
      }, 100);
    };
    const offs = [
      bridge.onConnection((connection) => {
        const wasOpen = store.getState().connection.kind === 'open';
        store.setState({ connection });
        // Events missed while disconnected: the state is re-read when the stream comes back.
        if (connection.kind === 'open' && !wasOpen && store.getState().app) refreshSoon();
      }),
      bridge.on('stateChanged', (status) => {
        const previous = store.getState().status;
        store.setState({ status });
        if (!previous || previous.loadedAt !== status.loadedAt) refreshSoon();
      }),
      bridge.on('requestStarted', (started) => batcher.push({ started })),
      bridge.on('requestLogged', (finished) => {
        if (seededAt !== undefined) batcher.push({ finished });
        else {
          early.push(finished);
          batcher.push({ ended: finished.id });
        }
      }),
    ];
    store
      .getState()
      .refreshState()
      .then(() => bridge.getPrefs({}))
      .then((prefs) => store.setState({ prefs }))
      .catch((error: Error) => store.setState({ loadError: error.message }));
    seed()
      .catch(() => now())
      .then((t) => {
        seededAt = t;
        // Requests that arrived while the first page loaded and are not in it.
        const known = new Set(store.getState().recent.map((r) => r.id));
        store.getState().ingest(early.filter((r) => !known.has(r.id)));
      });
    return () => {
      for (const off of offs) off();
      batcher.cancel();
      if (refreshTimer) clearTimeout(refreshTimer);
      bridge.close();
    };
  }

  return Object.assign(store, { start });
}
