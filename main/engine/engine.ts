import { EventEmitter, once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Api } from '../../shared/contract';
import type { AccountQuota, ConfigIssue, EngineStatus, ProviderHealth } from '../../shared/status';
import type { AuthManager } from '../auth/manager';
import { setProviderEnabled } from '../config/edit';
import type { Config } from '../config/schema';
import type { Logger, Redactor } from '../log';
import { quotaFromHeaders } from '../metrics/quota-headers';
import { createAccountSource } from './accounts';
import { createRequestListener } from './app';
import type { RoutingState } from './call';
import { ClientLimits } from './client-limits';
import { turnOffMaglev } from './compiler-tuning';
import { tuneGarbageCollector } from './gc-tuning';
import { processHeapCompactor } from './heap-compactor';
import { providerDescriptor } from './providers/registry';
import { RelayResponse } from './relay-response';
import { type Cooldown, CooldownBook } from './routing/cooldowns';
import { checkProvider } from './routing/health';
import { Selector } from './routing/selector';
import { buildState, configSecrets, type EngineState } from './state';
import { callUpstream, egressProxy, readCapped } from './upstream/http';
import { TokenBucket } from './upstream/token-bucket';
import type { UsageDeps } from './usage-routes';

export interface EngineOptions {
  logger: Logger;
  redactor: Redactor;
  version: string;
  /** Signed-in accounts; absent = API-key providers only. */
  auth?: AuthManager;
  /** The usage log, Prometheus and live request events; absent = nothing recorded. */
  usage?: UsageDeps;
  /** Where the config lives, for edits made from the UI and the tray. */
  configPath?: string;
}

export type { EngineStatus };

/** The proxy: holds the config in effect, the HTTP listener, and what is in flight. */
export class Engine extends EventEmitter<{ stateChanged: [EngineStatus] }> {
  private current: EngineState;
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly inflight = new Set<AbortController>();
  private readonly compactor = processHeapCompactor(() => this.inflight.size > 0);
  private configIssues: ConfigIssue[] = [];
  private rpcApi: Api | undefined;
  private readonly app;
  /** Survives reloads: cooldowns, round-robin cursors and rate buckets are about accounts, not config. */
  readonly routing: RoutingState;
  private readonly health = new Map<string, ProviderHealth>();
  private readonly discovered = new Map<string, string[]>();
  private readonly quotas = new Map<string, AccountQuota>();
  private readonly healthTimers = new Map<string, NodeJS.Timeout>();
  private readonly buckets = new Map<
    string,
    { rate: number; burst: number | undefined; bucket: TokenBucket }
  >();

  constructor(
    config: Config,
    private readonly options: EngineOptions,
  ) {
    super();
    this.current = buildState(config);
    options.redactor.setSecrets(configSecrets(config));
    this.routing = {
      book: new CooldownBook(Date.now, (entry) => {
        this.recheckAfter(entry);
        if (entry.status === 429) this.scheduleQuotaRefresh(1_000);
        this.changed();
      }),
      selector: new Selector(),
      accounts: createAccountSource(options.auth),
      bucket: (provider, rate, burst) => this.bucketFor(provider, rate, burst),
      recordQuota: (provider, account, headers) => {
        const windows = quotaFromHeaders(headers);
        if (windows.length > 0) {
          this.quotas.set(account, { provider, account, windows, updated_at: Date.now() });
          this.changedSoon();
        }
      },
    };
    this.app = createRequestListener({
      logger: options.logger,
      inflight: this.inflight,
      routing: this.routing,
      redact: (text) => options.redactor.redact(text),
      limits: new ClientLimits(),
      state: () => this.current,
      status: () => this.status(),
      ownOrigins: () => this.ownOrigins(),
      checkHealth: (name) => this.checkHealth(name),
      refreshModels: (name) => this.refreshModels(name),
      refreshQuotas: () => this.refreshQuotas(),
      ...(options.configPath
        ? {
            setProviderEnabled: (provider: string, enabled: boolean) =>
              setProviderEnabled(options.configPath ?? '', provider, enabled),
          }
        : {}),
      rpc: () => this.rpcApi,
      onStateChanged: (listener) => {
        this.on('stateChanged', listener);
        return () => this.off('stateChanged', listener);
      },
      ...(options.usage ? { usage: options.usage, recorder: options.usage.recorder } : {}),
      ...(options.auth ? { auth: options.auth } : {}),
      version: options.version,
    });
  }

  /** The UI contract, attached by the composition root once every service exists. */
  attachRpc(api: Api): void {
    this.rpcApi = api;
  }

  get state(): EngineState {
    return this.current;
  }

  status(): EngineStatus {
    return {
      running: this.server?.listening ?? false,
      url: this.url(),
      configIssues: this.configIssues,
      warnings: this.current.registry.warnings,
      loadedAt: this.current.loadedAt,
      health: Object.fromEntries(this.health),
      quotas: [...this.quotas.values()],
      usageLogError: this.options.usage?.store?.lastError ?? this.options.usage?.unavailable ?? null,
      accountFileProblems: this.options.auth?.fileProblems() ?? [],
      cooldowns: this.routing.book.list().map((c) => ({
        provider: this.providerOf(c.account),
        account: c.account,
        model: c.model,
        until: c.until,
        reason: c.reason,
        ...(c.status !== undefined ? { status: c.status } : {}),
      })),
    };
  }

  /**
   * Asks a subscription provider which models its accounts can use (Copilot) and serves those when
   * the entry lists none. Returns the ids, or undefined when the provider offers no list.
   */
  async refreshModels(providerName: string): Promise<string[] | undefined> {
    const provider = this.current.config.providers.find((p) => p.name === providerName);
    const descriptor = provider && providerDescriptor(provider.type);
    if (!provider || !descriptor?.modelList) return undefined;
    const account = this.routing.accounts.accountsFor(provider)[0];
    if (!account) return undefined;
    const credential = await this.routing.accounts.credential(provider, account);
    const target = descriptor.modelList.target(provider, credential);
    const response = await callUpstream({
      url: target.url,
      method: 'GET',
      headers: target.headers,
      signal: AbortSignal.timeout(15_000),
      proxyUrl: egressProxy(provider, this.current.config.proxy_url),
    });
    const text = await readCapped(response.body);
    if (response.statusCode >= 400)
      throw new Error(`${provider.name} models list answered HTTP ${response.statusCode}`);
    const ids = descriptor.modelList.parse(JSON.parse(text));
    this.discovered.set(provider.name, ids);
    this.current = buildState(this.current.config, this.discovered);
    this.options.logger.info('models refreshed', { provider: provider.name, models: ids.length });
    return ids;
  }

  /** The provider entry an account belongs to: its own name for API keys, `<provider>-…` for sign-ins. */
  private providerOf(account: string): string {
    const names = this.current.config.providers.map((p) => p.name).sort((a, b) => b.length - a.length);
    return names.find((name) => account === name || account.startsWith(`${name}-`)) ?? account;
  }

  /** Tells listeners (the UI's event stream, the tray) that the status changed; no polling needed. */
  changed(): void {
    if (this.listenerCount('stateChanged') > 0) this.emit('stateChanged', this.status());
  }

  private changedTimer: NodeJS.Timeout | undefined;

  /** For what every request may update (quota headers): at most one push a second. */
  private changedSoon(): void {
    if (this.changedTimer || this.listenerCount('stateChanged') === 0) return;
    this.changedTimer = setTimeout(() => {
      this.changedTimer = undefined;
      this.changed();
    }, 1_000);
    this.changedTimer.unref();
  }

  private quotaTimer: NodeJS.Timeout | undefined;

  /** Quotas are re-read on a timer and soon after a 429 (coalesced). */
  scheduleQuotaRefresh(delayMs: number): void {
    if (this.quotaTimer) clearTimeout(this.quotaTimer);
    this.quotaTimer = setTimeout(() => {
      this.quotaTimer = undefined;
      void this.refreshQuotas().finally(() => this.scheduleQuotaRefresh(5 * 60_000));
    }, delayMs);
    this.quotaTimer.unref();
  }

  /** Reads every signed-in account's quota from its provider's usage endpoint, where there is one. */
  async refreshQuotas(): Promise<void> {
    for (const provider of this.current.config.providers) {
      const descriptor = providerDescriptor(provider.type);
      if (!descriptor?.quota || provider.auth_type === 'api_key' || !provider.enabled) continue;
      for (const account of this.routing.accounts.accountsFor(provider)) {
        try {
          const credential = await this.routing.accounts.credential(provider, account);
          const accountToken = await this.options.auth?.accessToken(account).catch(() => undefined);
          const target = descriptor.quota.target(provider, credential, accountToken);
          if (!target) continue;
          const response = await callUpstream({
            url: target.url,
            method: 'GET',
            headers: target.headers,
            signal: AbortSignal.timeout(15_000),
            proxyUrl: egressProxy(provider, this.current.config.proxy_url),
          });
          const text = await readCapped(response.body);
          if (response.statusCode >= 400) throw new Error(`HTTP ${response.statusCode}`);
          const windows = descriptor.quota.parse(JSON.parse(text));
          if (windows.length > 0)
            this.quotas.set(account, { provider: provider.name, account, windows, updated_at: Date.now() });
        } catch (error) {
          this.options.logger.warn('quota refresh failed', {
            provider: provider.name,
            account,
            reason: (error as Error).message,
          });
        }
      }
    }
    this.changed();
  }

  /** Lets the account be tried again at once, whatever its cooldowns said; returns how many ended. */
  endCooldowns(account: string): number {
    const ended = this.routing.book.endCooldowns(account);
    if (ended > 0) this.changed();
    return ended;
  }

  /** Runs the provider's health check now and keeps the result in the status. */
  async checkHealth(providerName: string): Promise<ProviderHealth | undefined> {
    const provider = this.current.config.providers.find((p) => p.name === providerName);
    const descriptor = provider && providerDescriptor(provider.type);
    if (!provider || !descriptor) return undefined;
    const result = await checkProvider(provider, descriptor, this.current.config.proxy_url, (t) =>
      this.options.redactor.redact(t),
    );
    this.health.set(provider.name, result);
    this.changed();
    return result;
  }

  private recheckAfter(entry: Cooldown): void {
    const provider = this.current.config.providers.find(
      (p) => entry.account === p.name || entry.account.startsWith(`${p.name}/`),
    );
    if (!provider) return;
    const previous = this.healthTimers.get(provider.name);
    if (previous) clearTimeout(previous);
    const timer = setTimeout(
      () => {
        this.healthTimers.delete(provider.name);
        void this.checkHealth(provider.name);
      },
      Math.max(0, entry.until - Date.now()),
    );
    timer.unref();
    this.healthTimers.set(provider.name, timer);
  }

  private bucketFor(
    provider: string,
    rate: number | undefined,
    burst: number | undefined,
  ): TokenBucket | undefined {
    if (rate === undefined) {
      this.buckets.delete(provider);
      return undefined;
    }
    const existing = this.buckets.get(provider);
    if (existing && existing.rate === rate && existing.burst === burst) return existing.bucket;
    const bucket = new TokenBucket(rate, burst);
    this.buckets.set(provider, { rate, burst, bucket });
    return bucket;
  }

  /** The engine's own origins (its /ui page calls the API from them). */
  private ownOrigins(): string[] {
    const address = this.server?.address() as AddressInfo | null | undefined;
    if (!address) return [];
    return [
      `http://127.0.0.1:${address.port}`,
      `http://localhost:${address.port}`,
      `http://[::1]:${address.port}`,
    ];
  }

  url(): string | null {
    const address = this.server?.address() as AddressInfo | null | undefined;
    if (!address) return null;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${host}:${address.port}`;
  }

  async start(): Promise<string> {
    // Both before the first request compiles the hot path.
    tuneGarbageCollector();
    turnOffMaglev();
    await this.listen(this.current.config.host, this.current.config.port);
    this.compactor?.start();
    this.scheduleQuotaRefresh(60_000);
    for (const warning of this.current.registry.warnings) this.options.logger.warn(warning);
    this.changed();
    return this.url() ?? '';
  }

  /** Applies a validated config; a changed host or port moves the listener. */
  async applyConfig(config: Config): Promise<void> {
    const previous = this.current.config;
    this.options.redactor.setSecrets([...configSecrets(previous), ...configSecrets(config)]);
    const next = buildState(config, this.discovered);
    const moved = previous.host !== config.host || previous.port !== config.port;
    if (moved && this.server) {
      const old = this.server;
      const oldSockets = new Set(this.sockets);
      await this.listen(config.host, config.port);
      void this.closeServer(old, oldSockets, 5_000, false);
    }
    this.current = next;
    this.options.redactor.setSecrets(configSecrets(config));
    // A key or endpoint the user just fixed deserves a try now, not after the old one's cooldown.
    for (const provider of reconnectedProviders(previous, config)) this.routing.book.endCooldowns(provider);
    this.configIssues = [];
    for (const warning of next.registry.warnings) this.options.logger.warn(warning);
    this.changed();
    this.options.logger.info('config applied', {
      providers: config.providers.length,
      models: next.registry.list().length,
    });
  }

  reportConfigIssues(issues: ConfigIssue[]): void {
    this.configIssues = issues;
    this.changed();
  }

  /** Stops accepting, lets in-flight requests finish for up to graceMs, then aborts the rest. */
  async stop(graceMs = 4_000): Promise<void> {
    if (this.quotaTimer) clearTimeout(this.quotaTimer);
    if (this.changedTimer) clearTimeout(this.changedTimer);
    this.compactor?.stop();
    for (const timer of this.healthTimers.values()) clearTimeout(timer);
    this.healthTimers.clear();
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await this.closeServer(server, this.sockets, graceMs, true);
    this.changed();
  }

  private async listen(host: string, port: number): Promise<void> {
    const server = createServer(
      { keepAliveTimeout: 65_000, requestTimeout: 0, ServerResponse: RelayResponse },
      this.app,
    );
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    server.listen(port, host);
    await once(server, 'listening');
    this.server = server;
  }

  /** Destroying a socket closes its response, which aborts that request's upstream call. */
  private async closeServer(
    server: Server,
    sockets: Set<Socket>,
    graceMs: number,
    abortAll: boolean,
  ): Promise<void> {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    // A keep-alive connection whose request finishes during the grace period would otherwise stay
    // open until the period ends, and the server with it.
    const sweep = setInterval(() => server.closeIdleConnections(), 100);
    sweep.unref();
    const timer = setTimeout(() => {
      if (abortAll)
        for (const controller of this.inflight) controller.abort(new Error('proxy shutting down'));
      for (const socket of sockets) socket.destroy();
    }, graceMs);
    timer.unref();
    await closed;
    clearTimeout(timer);
    clearInterval(sweep);
  }
}

/**
 * API-key providers (each one account, named after it) whose way of reaching the upstream changed:
 * key, endpoint, type, headers or egress proxy, its own or the config's.
 */
export function reconnectedProviders(previous: Config, next: Config): string[] {
  const reach = (config: Config, provider: Config['providers'][number]) =>
    JSON.stringify([
      provider.type,
      provider.api_key,
      provider.endpoint,
      provider.headers,
      provider.proxy_url ?? config.proxy_url,
    ]);
  const before = new Map(previous.providers.map((p) => [p.name, reach(previous, p)]));
  return next.providers
    .filter((p) => p.auth_type === 'api_key' && before.has(p.name) && before.get(p.name) !== reach(next, p))
    .map((p) => p.name);
}
