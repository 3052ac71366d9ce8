import { z } from 'zod';
import type { MethodName } from './method-names';
import { type Prefs, prefsPatchSchema } from './prefs';
import type { RequestBodies, RequestRecord, RequestStarted, UsagePoint } from './records';
import type { ConfigIssue, EngineStatus, ProviderHealth } from './status';

/** API-key providers the dashboard can add (subscriptions are signed in on the Accounts page instead). */
export const API_KEY_PROVIDER_TYPES = ['openai', 'openai_compatible', 'claude', 'gemini'] as const;

/** Subscriptions the dashboard can add; each then signs in on the Accounts page. */
export const SUBSCRIPTION_TYPES = ['claude', 'codex', 'gemini_cli', 'copilot', 'kiro'] as const;
export type SubscriptionType = (typeof SUBSCRIPTION_TYPES)[number];

const trimmed = (message: string) => z.string().trim().min(1, message);

const providerName = trimmed('a name is required')
  .max(64, 'at most 64 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, dots, dashes and underscores only');

/** A provider added from the dashboard's form; the renderer validates with the same schema as it types. */
export const newProviderSchema = z
  .object({
    name: providerName,
    type: z.enum(API_KEY_PROVIDER_TYPES),
    api_key: trimmed('an API key is required').max(4096),
    endpoint: z
      .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
      .max(2048)
      .optional(),
    prefix: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9._-]+\/?$/, 'letters, digits, dots and dashes, e.g. or/')
      .optional(),
    models: z
      .array(
        z.object({
          name: trimmed('a model name is required').max(200),
          alias: z.string().trim().min(1).max(200).optional(),
        }),
      )
      .max(500),
  })
  .superRefine((value, ctx) => {
    if (value.type === 'openai_compatible' && !value.endpoint)
      ctx.addIssue({ code: 'custom', path: ['endpoint'], message: 'an aggregator needs its endpoint URL' });
  });
export type NewProvider = z.infer<typeof newProviderSchema>;

/** A subscription entry added from the Accounts page: the official CLI's OAuth client is the default. */
export const newSubscriptionSchema = z.object({ name: providerName, type: z.enum(SUBSCRIPTION_TYPES) });
export type NewSubscription = z.infer<typeof newSubscriptionSchema>;

/** Coding tools the dashboard can point at the proxy in one click (with a backup and an undo). */
export const CONNECTABLE_TOOLS = ['claude-code', 'codex'] as const;
export type ConnectableTool = (typeof CONNECTABLE_TOOLS)[number];

/**
 * The one contract between the engine and its UIs. Electron binds it to ipcMain (the preload
 * exposes it as `window.api`); headless, the same handlers answer at POST /v0/management/rpc/{method}.
 * Inputs are zod schemas (validated on the main side); outputs are the types below.
 */
export const methods = {
  getState: z.object({}),
  setProviderEnabled: z.object({ provider: z.string().min(1), enabled: z.boolean() }),
  /** Higher runs first (as the router orders them); equal priorities share the load by routing_strategy. */
  setProviderPriority: z.object({
    provider: z.string().min(1),
    priority: z.number().int().min(-1000).max(1000),
  }),
  /** Runs the provider's cheap health check (its models list) now; the status carries the result. */
  checkProviderHealth: z.object({ provider: z.string().min(1) }),
  /** "Try now": the account's cooldowns end at once, so the next request may use it again. */
  endCooldowns: z.object({ account: z.string().min(1) }),
  startLogin: z.object({ provider: z.string().min(1) }),
  getLogin: z.object({ id: z.string().min(1) }),
  cancelLogin: z.object({ id: z.string().min(1) }),
  removeAccount: z.object({ id: z.string().min(1) }),
  /**
   * Takes over the sign-in Kiro itself saved: the file's text when given (a file the user picked),
   * else the file at ~/.aws/sso/cache/kiro-auth-token.json on the engine's machine.
   */
  importKiroToken: z.object({ provider: z.string().min(1), text: z.string().max(1_000_000).optional() }),
  /** The Google Cloud projects a Gemini CLI account may run in, and the one it uses. */
  listAccountProjects: z.object({ id: z.string().min(1) }),
  setAccountProject: z.object({ id: z.string().min(1), project: z.string().min(1).max(30) }),
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
  /** The bodies log_bodies kept for one request (null when none were kept). */
  getRequestBodies: z.object({ id: z.string().min(1).max(100) }),
  /** Starts or stops the listener (the tray's Start/Stop proxy); config and accounts stay loaded. */
  setRunning: z.object({ running: z.boolean() }),
  /** Writes a new API-key provider into config.yaml (comments kept), validated before writing. */
  addProvider: newProviderSchema,
  /** Writes a subscription provider entry (Claude, ChatGPT, Gemini CLI, Copilot, Kiro) into config.yaml. */
  addSubscription: newSubscriptionSchema,
  removeProvider: z.object({ provider: z.string().min(1) }),
  /** Enables or disables one model of a provider, or sets its alias (null removes it). */
  setModel: z.object({
    provider: z.string().min(1),
    model: z.string().min(1),
    enabled: z.boolean().optional(),
    alias: z.string().trim().min(1).max(200).nullable().optional(),
  }),
  getTools: z.object({}),
  /** Points a tool's own config at the proxy, after a timestamped backup of that config. */
  connectTool: z.object({ tool: z.enum(CONNECTABLE_TOOLS) }),
  /** Restores the config the last connectTool backed up. */
  undoConnectTool: z.object({ tool: z.enum(CONNECTABLE_TOOLS) }),
  getPrefs: z.object({}),
  setPrefs: prefsPatchSchema,
  /** Days of request records kept (usage_retention_days in config.yaml). */
  setUsageRetention: z.object({ days: z.number().int().min(1).max(3650) }),
  /** Turns log_bodies on or off in config.yaml (bodies are redacted and capped when kept). */
  setLogBodies: z.object({ enabled: z.boolean() }),
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

export interface ModelEntry {
  name: string;
  alias?: string;
  enabled: boolean;
}

export interface ToolConnection {
  tool: ConnectableTool;
  label: string;
  /** The files this tool reads its settings from (under the user's home). */
  files: string[];
  /** Whether those files point at this proxy now. */
  connected: boolean;
  /** Backups an undo can restore, newest first. */
  backups: string[];
}

export interface AccountSummary {
  id: string;
  provider: string;
  identity: string;
  status: 'active' | 'needs_login' | 'disabled';
  status_reason?: string;
  expires_at?: number;
  /** The Google Cloud project a Gemini CLI account's requests carry. */
  project?: string;
}

export interface AppState {
  status: EngineStatus;
  providers: Array<{
    name: string;
    type: string;
    enabled: boolean;
    authType: string;
    /** Client-visible model names (alias, else name). */
    models: string[];
    /** The entries as configured, for per-model toggles and aliases. */
    modelEntries: ModelEntry[];
    endpoint?: string;
    prefix?: string;
    priority: number;
  }>;
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
  /** Days of request records the usage log keeps. */
  usageRetentionDays: number;
  /** Whether the log keeps request and response bodies (log_bodies). */
  logBodies: boolean;
}

export interface MethodOutputs {
  getState: AppState;
  setProviderEnabled: { provider: string; enabled: boolean };
  setProviderPriority: { provider: string; priority: number };
  checkProviderHealth: { health: ProviderHealth };
  /** How many cooldowns were active and ended (0: the account was not cooling down). */
  endCooldowns: { ended: number };
  startLogin: {
    id: string;
    kind: 'browser' | 'device';
    url?: string;
    user_code?: string;
    verification_uri?: string;
    expires_at: number;
  };
  getLogin: { status: LoginUpdate['status']; error?: string; identity?: string };
  cancelLogin: { cancelled: boolean };
  removeAccount: { removed: boolean };
  importKiroToken: { account: AccountSummary };
  listAccountProjects: {
    projects: Array<{ id: string; name: string }>;
    current: string | null;
    /** Set when the provider entry's project_id overrides every account's choice. */
    fixedByConfig: string | null;
  };
  setAccountProject: { account: AccountSummary };
  getConfigText: { text: string };
  validateConfig: { ok: boolean; issues: ConfigIssue[] };
  saveConfigText: { ok: boolean; issues: ConfigIssue[] };
  queryUsage: { points: UsagePoint[] };
  queryRequests: { items: RequestRecord[]; next?: number };
  getRequestBodies: { bodies: RequestBodies | null };
  setRunning: { running: boolean; url: string | null };
  addProvider: { provider: string };
  addSubscription: { provider: string };
  removeProvider: { removed: boolean };
  setModel: { provider: string; model: string };
  getTools: { tools: ToolConnection[] };
  connectTool: ToolConnection;
  undoConnectTool: ToolConnection;
  getPrefs: Prefs;
  setPrefs: Prefs;
  setUsageRetention: { days: number };
  setLogBodies: { enabled: boolean };
  getClientKey: { key: string | null; name: string | null };
  quitApp: { quitting: true };
}

export type Api = { [M in MethodName]: (input: MethodInput<M>) => Promise<MethodOutputs[M]> };

/** A sign-in that finished (or failed, expired, was cancelled): the sign-in window follows it. */
export interface LoginUpdate {
  id: string;
  provider: string;
  status: 'pending' | 'ok' | 'error' | 'expired' | 'cancelled';
  error?: string;
  /** The signed-in account's identity (email or user name), on success. */
  identity?: string;
}

/** Events main pushes to the renderer (IPC) or streams as server-sent events (headless). */
export interface Events {
  stateChanged: EngineStatus;
  requestLogged: RequestRecord;
  /** A request began (the live log shows it in flight until its requestLogged). */
  requestStarted: RequestStarted;
  loginChanged: LoginUpdate;
}

/** Errors cross the boundary as this envelope, never as thrown objects. */
export interface ErrorEnvelope {
  error: { message: string; code: 'invalid_input' | 'not_found' | 'forbidden' | 'failed' };
}

export { CHANNEL_PREFIX, channelOf, METHOD_NAMES, type MethodName } from './method-names';
