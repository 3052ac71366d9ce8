import { z } from 'zod';
import type { MethodName } from './method-names';
import { type Prefs, prefsPatchSchema } from './prefs';
import type { RequestRecord, UsagePoint } from './records';
import type { ConfigIssue, EngineStatus } from './status';

/**
 * The one contract between the engine and its UIs. Electron binds it to ipcMain (the preload
 * exposes it as `window.api`); headless, the same handlers answer at POST /v0/management/rpc/{method}.
 * Inputs are zod schemas (validated on the main side); outputs are the types below.
 */
export const methods = {
  getState: z.object({}),
  setProviderEnabled: z.object({ provider: z.string().min(1), enabled: z.boolean() }),
  startLogin: z.object({ provider: z.string().min(1) }),
  getLogin: z.object({ id: z.string().min(1) }),
  cancelLogin: z.object({ id: z.string().min(1) }),
  removeAccount: z.object({ id: z.string().min(1) }),
  getConfigText: z.object({}),
  validateConfig: z.object({ text: z.string().max(1_000_000) }),
  saveConfigText: z.object({ text: z.string().max(1_000_000) }),
  queryUsage: z.object({
    from: z.number(),
    to: z.number(),
    bucket: z.enum(['minute', 'hour', 'day']),
    groupBy: z.enum(['model', 'provider', 'account', 'client_key']).optional(),
  }),
  queryRequests: z.object({
    limit: z.number().int().min(1).max(1000).optional(),
    before: z.number().optional(),
    model: z.string().optional(),
    provider: z.string().optional(),
    status: z.number().int().optional(),
  }),
  /** Starts or stops the listener (the tray's Start/Stop proxy); config and accounts stay loaded. */
  setRunning: z.object({ running: z.boolean() }),
  getPrefs: z.object({}),
  setPrefs: prefsPatchSchema,
  /** The first client key from api_keys (for "Copy API key" and tool snippets); null when none is set. */
  getClientKey: z.object({}),
  /** Quits the desktop app (the tray's Quit, also in the window); browser mode refuses it. */
  quitApp: z.object({}),
} as const satisfies Record<MethodName, z.ZodType>;

// Every name in METHOD_NAMES has a schema (above) and every schema a name (here).
type Unlisted = Exclude<keyof typeof methods, MethodName>;
const _everyMethodListed: Unlisted extends never ? true : Unlisted = true;
void _everyMethodListed;
export type MethodInput<M extends MethodName> = z.input<(typeof methods)[M]>;

export interface AccountSummary {
  id: string;
  provider: string;
  identity: string;
  status: 'active' | 'needs_login' | 'disabled';
  status_reason?: string;
  expires_at?: number;
}

export interface AppState {
  status: EngineStatus;
  providers: Array<{ name: string; type: string; enabled: boolean; authType: string; models: string[] }>;
  accounts: AccountSummary[];
  configPath: string;
  /** Where the user's data lives (shown in Settings). */
  paths: { config: string; authDir: string; usageDb: string };
  /** Which UI is attached: the Electron window (IPC) or a browser tab (HTTP bridge). */
  shell: 'electron' | 'browser';
  /**
   * How account tokens are protected at rest: the OS keychain, obfuscation only (Linux safeStorage
   * with the basic_text backend — the UI warns), or plain files readable only by the user (headless).
   */
  secretsProtection: 'os-keychain' | 'obfuscated' | 'file-permissions';
}

export interface MethodOutputs {
  getState: AppState;
  setProviderEnabled: { provider: string; enabled: boolean };
  startLogin: {
    id: string;
    kind: 'browser' | 'device';
    url?: string;
    user_code?: string;
    verification_uri?: string;
    expires_at: number;
  };
  getLogin: { status: 'pending' | 'ok' | 'error' | 'expired' | 'cancelled'; error?: string };
  cancelLogin: { cancelled: boolean };
  removeAccount: { removed: boolean };
  getConfigText: { text: string };
  validateConfig: { ok: boolean; issues: ConfigIssue[] };
  saveConfigText: { ok: boolean; issues: ConfigIssue[] };
  queryUsage: { points: UsagePoint[] };
  queryRequests: { items: RequestRecord[]; next?: number };
  setRunning: { running: boolean; url: string | null };
  getPrefs: Prefs;
  setPrefs: Prefs;
  getClientKey: { key: string | null; name: string | null };
  quitApp: { quitting: true };
}

export type Api = { [M in MethodName]: (input: MethodInput<M>) => Promise<MethodOutputs[M]> };

/** Events main pushes to the renderer (IPC) or streams as server-sent events (headless). */
export interface Events {
  stateChanged: EngineStatus;
  requestLogged: RequestRecord;
}

/** Errors cross the boundary as this envelope, never as thrown objects. */
export interface ErrorEnvelope {
  error: { message: string; code: 'invalid_input' | 'not_found' | 'forbidden' | 'failed' };
}

export { CHANNEL_PREFIX, channelOf, METHOD_NAMES, type MethodName } from './method-names';
