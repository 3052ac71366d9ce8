import { vi } from 'vitest';
import type { AppState, Events } from '../../../shared/contract';
import { DEFAULT_PREFS } from '../../../shared/prefs';
import type { EngineStatus } from '../../../shared/status';
import type { Bridge } from '../bridge/types';

export function status(overrides: Partial<EngineStatus> = {}): EngineStatus {
  return {
    running: true,
    url: 'http://127.0.0.1:8317',
    configIssues: [],
    warnings: [],
    loadedAt: 1,
    cooldowns: [],
    health: {},
    quotas: [],
    usageLogError: null,
    accountFileProblems: [],
    ...overrides,
  };
}

export function appState(overrides: Partial<AppState> = {}): AppState {
  return {
    status: status(),
    providers: [],
    accounts: [],
    configPath: '/c/config.yaml',
    paths: { config: '/c/config.yaml', authDir: '/c/auths', usageDb: '/c/usage.db' },
    shell: 'browser',
    secretsProtection: 'file-permissions',
    usageRetentionDays: 90,
    logBodies: false,
    ...overrides,
  };
}

/** A bridge whose events the test pushes by hand. */
export function fakeBridge(overrides: Partial<Bridge> = {}) {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const bridge = {
    transport: 'http',
    getState: vi.fn(async () => appState()),
    getPrefs: vi.fn(async () => DEFAULT_PREFS),
    setPrefs: vi.fn(async (patch) => ({ ...DEFAULT_PREFS, ...patch })),
    queryUsage: vi.fn(async () => ({ points: [] })),
    queryRequests: vi.fn(async () => ({ items: [] })),
    getRequestBodies: vi.fn(async () => ({ bodies: null })),
    getClientKey: vi.fn(async () => ({ key: null, name: null })),
    on: (event: string, listener: (payload: unknown) => void) => {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener);
      return () => set.delete(listener);
    },
    onConnection: (listener: (s: { kind: 'open' }) => void) => {
      listener({ kind: 'open' });
      return () => undefined;
    },
    close: vi.fn(),
    ...overrides,
  } as unknown as Bridge;
  const emit = <E extends keyof Events>(event: E, payload: Events[E]) => {
    for (const listener of listeners.get(event) ?? []) listener(payload);
  };
  return { bridge, emit };
}
