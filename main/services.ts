import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Api, AppState } from '../shared/contract';
import type { EngineStatus } from '../shared/status';
import { AuthManager } from './auth/manager';
import type { SecretBox } from './auth/secret-box';
import { AccountStore } from './auth/store';
import { type ConfigIssue, type ConfigOverrides, formatIssue, loadConfigFile } from './config/loader';
import { defaultConfigPath, expandHome } from './config/paths';
import { CONFIG_TEMPLATE } from './config/template';
import { ConfigWatcher } from './config/watcher';
import { createHandlers } from './contract-handlers';
import { Engine } from './engine/engine';
import { closeUpstreams } from './engine/upstream/http';
import type { UsageDeps } from './engine/usage-routes';
import { createLogger, type Logger, Redactor } from './log';
import { DEFAULT_PRICES, type Price } from './metrics/prices';
import { PrometheusMetrics } from './metrics/prometheus';
import { Recorder } from './metrics/recorder';
import { UsageStore } from './metrics/store';
import { JsonPrefsStore, type PrefsStore } from './prefs/prefs-store';
import { VERSION } from './version';

export class ConfigInvalidError extends Error {
  constructor(
    readonly file: string,
    readonly issues: ConfigIssue[],
  ) {
    super(issues.map((issue) => formatIssue(file, issue)).join('\n'));
    this.name = 'ConfigInvalidError';
  }
}

export interface Services {
  configPath: string;
  engine: Engine;
  auth: AuthManager;
  /** The UI contract, for the Electron IPC binding (the HTTP bridge is already attached). */
  api: Api;
  /** Emits `requestLogged` for every finished request (the window's live log, the tray's counters). */
  recorder: Recorder;
  /** The request log (its store is absent when the database could not be opened). */
  usage: UsageDeps;
  logger: Logger;
  stop(): Promise<void>;
}

export interface ServicesOptions {
  configPath?: string;
  overrides?: ConfigOverrides;
  logger?: Logger;
  redactor?: Redactor;
  /** Encrypts account files (Electron's safeStorage); plain 0600 files without it. */
  secretBox?: SecretBox;
  /** App preferences; headless they live in prefs.json next to the config. */
  prefs?: PrefsStore;
  shell?: AppState['shell'];
  /** The desktop app's quit, offered to the window through the contract. */
  quit?: () => void;
  /** Where tool configs live for "Connect tools" (default: the user's home). */
  home?: string;
}

/**
 * The usage log. If its database cannot be opened (disk full, permissions), the proxy still runs and
 * says why in the log and the status; requests are then counted only in Prometheus.
 */
function openUsage(
  path: string,
  logger: Logger,
  status: () => EngineStatus | undefined,
  prices: () => Record<string, Price>,
  redactor: Redactor,
): UsageDeps {
  let store: UsageStore | undefined;
  let unavailable: string | undefined;
  try {
    if (path !== 'off') store = new UsageStore(expandHome(path));
  } catch (error) {
    unavailable = `the usage database could not be opened: ${(error as Error).message}`;
    logger.error('usage log unavailable; requests will not be recorded', {
      path,
      reason: (error as Error).message,
    });
  }
  const prometheus = new PrometheusMetrics(() => status() ?? emptyStatus());
  return {
    ...(store ? { store } : {}),
    ...(path === 'off' ? { off: true } : {}),
    ...(unavailable ? { unavailable } : {}),
    prometheus,
    recorder: new Recorder(store, prometheus, prices, (text) => redactor.redact(text)),
  };
}

function emptyStatus(): EngineStatus {
  return {
    running: false,
    url: null,
    configIssues: [],
    warnings: [],
    loadedAt: 0,
    cooldowns: [],
    health: {},
    quotas: [],
    usageLogError: null,
    accountFileProblems: [],
  };
}

function secretsProtection(box: SecretBox | undefined): AppState['secretsProtection'] {
  if (!box) return 'file-permissions';
  return box.obfuscatedOnly ? 'obfuscated' : 'os-keychain';
}

/** The default prices with the config's overrides, merged again only when the config's change. */
function pricesOf(overrides: () => Record<string, Price>): () => Record<string, Price> {
  let source: Record<string, Price> | undefined;
  let merged: Record<string, Price> = DEFAULT_PRICES;
  return () => {
    const current = overrides();
    if (current !== source) {
      source = current;
      merged = { ...DEFAULT_PRICES, ...current };
    }
    return merged;
  };
}

/** Writes the commented template when the default config does not exist yet (first run). */
export async function ensureDefaultConfig(file: string): Promise<boolean> {
  if (existsSync(file)) return false;
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, CONFIG_TEMPLATE, { mode: 0o600, flag: 'wx' }).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    },
  );
  return true;
}

/** The composition root shared by the CLI and the Electron shell. */
export async function startServices(options: ServicesOptions = {}): Promise<Services> {
  const redactor = options.redactor ?? new Redactor();
  const logger = options.logger ?? createLogger({ redactor });
  const configPath = options.configPath ?? defaultConfigPath();
  if (!options.configPath && (await ensureDefaultConfig(configPath))) {
    logger.info('created a default config', { path: configPath });
  }
  const loaded = await loadConfigFile(configPath, options.overrides);
  if (!loaded.ok) throw new ConfigInvalidError(configPath, loaded.issues);

  let currentConfig = loaded.config;
  const store = new AccountStore(expandHome(loaded.config.auth_dir), options.secretBox);
  redactor.addSource(() => store.secrets());
  await store.load();
  const logProblems = (known: Set<string>) => {
    for (const problem of store.problems()) {
      if (!known.has(problem.file))
        logger.warn('account file not usable', { file: problem.file, reason: problem.reason });
    }
    return new Set(store.problems().map((p) => p.file));
  };
  let knownProblems = logProblems(new Set());
  store.watch();
  let engineRef: Engine | undefined;
  const auth = new AuthManager({
    store,
    providers: () => currentConfig.providers,
    proxyUrl: () => currentConfig.proxy_url,
    logger,
    onSignedIn: (account) => {
      // New tokens replace whatever made the old ones fail: the account may serve at once.
      engineRef?.endCooldowns(account.id);
      engineRef?.refreshModels(account.provider).catch((error: Error) => {
        logger.warn('could not refresh models after sign-in', {
          provider: account.provider,
          reason: error.message,
        });
      });
    },
  });
  const usage = openUsage(
    loaded.config.usage_db,
    logger,
    () => engineRef?.status(),
    pricesOf(() => currentConfig.prices),
    redactor,
  );
  const engine = new Engine(loaded.config, { logger, redactor, version: VERSION, auth, usage, configPath });
  engineRef = engine;
  const api = createHandlers({
    engine,
    auth,
    configPath,
    ...(usage.store ? { store: usage.store } : {}),
    prefs: options.prefs ?? new JsonPrefsStore(join(dirname(configPath), 'prefs.json')),
    paths: {
      config: configPath,
      authDir: expandHome(loaded.config.auth_dir),
      usageDb: loaded.config.usage_db === 'off' ? 'off' : expandHome(loaded.config.usage_db),
    },
    shell: options.shell ?? 'browser',
    ...(options.quit ? { quit: options.quit } : {}),
    secretsProtection: secretsProtection(options.secretBox),
    ...(options.home ? { home: options.home } : {}),
  });
  engine.attachRpc(api);
  // Accounts added, repaired or corrupted on disk change what the status shows.
  store.on('changed', () => {
    knownProblems = logProblems(knownProblems);
    engine.changed();
  });
  auth.startRefreshWorker();
  const prune = () => {
    usage.store?.prune(currentConfig.usage_retention_days).then(
      (removed) => {
        if (removed > 0) logger.info('usage log pruned', { removed });
      },
      (error: Error) => logger.warn('usage log prune failed', { reason: error.message }),
    );
  };
  prune();
  const pruneTimer = setInterval(prune, 3_600_000);
  pruneTimer.unref();
  await engine.start();
  const watcher = new ConfigWatcher({
    file: configPath,
    overrides: options.overrides,
    appliedHash: loaded.hash,
    onValid: (config) => {
      currentConfig = config;
      return engine.applyConfig(config);
    },
    onInvalid: (issues) => {
      engine.reportConfigIssues(issues);
      for (const issue of issues) logger.error(`config not applied: ${formatIssue(configPath, issue)}`);
    },
    onRecovered: () => engine.reportConfigIssues([]),
  });
  watcher.start();
  return {
    configPath,
    engine,
    logger,
    auth,
    api,
    recorder: usage.recorder,
    usage,
    async stop() {
      watcher.stop();
      store.stopWatching();
      clearInterval(pruneTimer);
      auth.stopRefreshWorker();
      await engine.stop();
      await usage.store?.close();
      await closeUpstreams();
    },
  };
}
