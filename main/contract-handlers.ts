import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import type { z } from 'zod';
import {
  type AccountSummary,
  type Api,
  type AppState,
  type ErrorEnvelope,
  type MethodName,
  methods,
} from '../shared/contract';
import type { AccountView } from './auth/account';
import { accountProjects, setAccountProject } from './auth/gcp-projects';
import { readKiroTokenFile } from './auth/kiro-token-file';
import type { AuthManager } from './auth/manager';
import { setProviderEnabled, setProviderPriorityInText, setTopLevelInText } from './config/edit';
import { parseConfigText } from './config/loader';
import {
  addProviderInText,
  addSubscriptionInText,
  editConfigFile,
  removeProviderInText,
  setModelInText,
} from './config/provider-edits';
import type { Engine } from './engine/engine';
import { writeFileAtomic } from './fs/atomic';
import type { UsageStore } from './metrics/store';
import type { PrefsStore } from './prefs/prefs-store';
import { type ProxyTarget, ToolConnector } from './tools/connect';

export interface HandlerDeps {
  engine: Engine;
  auth: AuthManager;
  store?: UsageStore;
  configPath: string;
  prefs: PrefsStore;
  paths: AppState['paths'];
  shell: AppState['shell'];
  secretsProtection: AppState['secretsProtection'];
  /** Quits the desktop app; absent headless, where the window cannot stop the process it talks to. */
  quit?: () => void;
  /** Where tools keep their settings (~/.claude, ~/.codex); tests pass a temp dir. */
  home?: string;
}

/** The proxy URL and a client key tools should use: the first of api_keys, or any key when there are none. */
function proxyTarget(engine: Engine): ProxyTarget {
  const config = engine.state.config;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const first = config.api_keys[0];
  return {
    url: engine.url() ?? `http://${host}:${config.port}`,
    key: first === undefined ? 'cliproxy' : typeof first === 'string' ? first : first.key,
  };
}

/** The contract implemented once, for every transport (Electron IPC, headless HTTP). */
export function createHandlers(deps: HandlerDeps): Api {
  const requireStore = () => {
    if (!deps.store) throw new Error('the usage log is not available');
    return deps.store;
  };
  const tools = new ToolConnector(deps.home ?? homedir(), () => proxyTarget(deps.engine));
  return {
    async getState() {
      const config = deps.engine.state.config;
      return {
        status: deps.engine.status(),
        providers: config.providers.map((p) => ({
          name: p.name,
          type: p.type,
          enabled: p.enabled,
          authType: p.auth_type,
          models: p.models.map((m) => m.alias ?? m.name),
          modelEntries: p.models.map((m) => ({
            name: m.name,
            ...(m.alias ? { alias: m.alias } : {}),
            enabled: m.enabled,
          })),
          ...(p.endpoint ? { endpoint: p.endpoint } : {}),
          ...(p.prefix ? { prefix: p.prefix } : {}),
          priority: p.priority,
        })),
        accounts: deps.auth.accounts().map(accountSummary),
        configPath: deps.configPath,
        paths: deps.paths,
        shell: deps.shell,
        secretsProtection: deps.secretsProtection,
        usageRetentionDays: config.usage_retention_days,
        logBodies: config.log_bodies,
      };
    },
    async setProviderEnabled({ provider, enabled }) {
      await setProviderEnabled(deps.configPath, provider, enabled);
      return { provider, enabled };
    },
    async setUsageRetention({ days }) {
      await editConfigFile(deps.configPath, (text) => setTopLevelInText(text, 'usage_retention_days', days));
      return { days };
    },
    async setLogBodies({ enabled }) {
      await editConfigFile(deps.configPath, (text) => setTopLevelInText(text, 'log_bodies', enabled));
      return { enabled };
    },
    async setProviderPriority({ provider, priority }) {
      await editConfigFile(deps.configPath, (text) => setProviderPriorityInText(text, provider, priority));
      return { provider, priority };
    },
    async checkProviderHealth({ provider }) {
      const health = await deps.engine.checkHealth(provider);
      if (!health) throw new Error(`no provider named ${JSON.stringify(provider)} in the config`);
      return { health };
    },
    endCooldowns: async ({ account }) => ({ ended: deps.engine.endCooldowns(account) }),
    startLogin: ({ provider }) => deps.auth.startLogin(provider),
    async getLogin({ id }) {
      const state = deps.auth.login(id);
      if (!state) throw new Error(`no login ${id}`);
      return {
        status: state.status,
        ...(state.error ? { error: state.error } : {}),
        ...(state.account ? { identity: state.account.identity } : {}),
      };
    },
    async cancelLogin({ id }) {
      return { cancelled: deps.auth.cancelLogin(id) };
    },
    async removeAccount({ id }) {
      return { removed: await deps.auth.removeAccount(id) };
    },
    listAccountProjects: ({ id }) => accountProjects(deps.auth, id),
    async setAccountProject({ id, project }) {
      const view = await setAccountProject(deps.auth, id, project);
      return { account: accountSummary(view) };
    },
    async importKiroToken({ provider, text }) {
      const view = await deps.auth.importKiroToken(provider, text ?? (await readKiroTokenFile()));
      return { account: accountSummary(view) };
    },
    async getConfigText() {
      return { text: await readFile(deps.configPath, 'utf8') };
    },
    async validateConfig({ text }) {
      const result = parseConfigText(text);
      return { ok: result.ok, issues: result.ok ? [] : result.issues };
    },
    async saveConfigText({ text }) {
      // An invalid config is never written: the editor shows the issues and keeps the text.
      const result = parseConfigText(text);
      if (!result.ok) return { ok: false, issues: result.issues };
      await writeFileAtomic(deps.configPath, text, 0o600);
      return { ok: true, issues: [] };
    },
    async queryUsage(input) {
      return { points: await requireStore().series(input) };
    },
    queryRequests: (input) => requireStore().list(input),
    getRequestBodies: async ({ id }) => ({ bodies: (await requireStore().bodies(id)) ?? null }),
    async setRunning({ running }) {
      const engine = deps.engine;
      if (running && !engine.status().running) await engine.start();
      if (!running && engine.status().running) await engine.stop(1_000);
      return { running: engine.status().running, url: engine.url() };
    },
    async addProvider(provider) {
      await editConfigFile(deps.configPath, (text) => addProviderInText(text, provider));
      return { provider: provider.name };
    },
    async addSubscription(subscription) {
      await editConfigFile(deps.configPath, (text) => addSubscriptionInText(text, subscription));
      return { provider: subscription.name };
    },
    async removeProvider({ provider }) {
      await editConfigFile(deps.configPath, (text) => removeProviderInText(text, provider));
      return { removed: true };
    },
    async setModel({ provider, model, enabled, alias }) {
      await editConfigFile(deps.configPath, (text) =>
        setModelInText(text, provider, model, {
          ...(enabled !== undefined ? { enabled } : {}),
          ...(alias !== undefined ? { alias } : {}),
        }),
      );
      return { provider, model };
    },
    async getTools() {
      return { tools: await tools.all() };
    },
    connectTool: ({ tool }) => tools.connect(tool),
    undoConnectTool: ({ tool }) => tools.undo(tool),
    async getPrefs() {
      return deps.prefs.get();
    },
    setPrefs: (patch) => deps.prefs.set(patch),
    async getClientKey() {
      const first = deps.engine.state.config.api_keys[0];
      if (first === undefined) return { key: null, name: null };
      return typeof first === 'string'
        ? { key: first, name: null }
        : { key: first.key, name: first.name ?? null };
    },
    async quitApp() {
      if (!deps.quit)
        throw new Error('only the desktop app can be quit from here; stop the headless engine with Ctrl+C');
      setImmediate(deps.quit);
      return { quitting: true };
    },
  };
}

/** Validates a raw payload against the method's schema and calls it; failures become an envelope. */
export async function dispatch(api: Api, method: string, payload: unknown): Promise<unknown> {
  if (!Object.hasOwn(methods, method))
    return envelope(`unknown method ${JSON.stringify(method)}`, 'not_found');
  const name = method as MethodName;
  const parsed = (methods[name] as z.ZodType).safeParse(payload ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return envelope(`${issue?.path.join('.') || 'input'}: ${issue?.message ?? 'invalid'}`, 'invalid_input');
  }
  try {
    return await (api[name] as (input: unknown) => Promise<unknown>)(parsed.data);
  } catch (error) {
    return envelope((error as Error).message, 'failed');
  }
}

function envelope(message: string, code: ErrorEnvelope['error']['code']): ErrorEnvelope {
  return { error: { message, code } };
}

/** What the window lists of an account: who, which provider, its status, its Gemini CLI project; never tokens. */
function accountSummary(view: AccountView): AccountSummary {
  const { id, provider, identity, status, status_reason, expires_at, metadata } = view;
  return {
    id,
    provider,
    identity,
    status,
    ...(status_reason !== undefined ? { status_reason } : {}),
    ...(expires_at !== undefined ? { expires_at } : {}),
    ...(metadata.project_id ? { project: metadata.project_id } : {}),
  };
}
