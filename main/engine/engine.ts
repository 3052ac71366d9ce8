import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { ConfigIssue, EngineStatus } from '../../shared/status';
import type { Config } from '../config/schema';
import type { Logger, Redactor } from '../log';
import { createApp } from './app';
import { buildState, configSecrets, type EngineState } from './state';

export interface EngineOptions {
  logger: Logger;
  redactor: Redactor;
  version: string;
}

export type { EngineStatus };

/** The proxy: holds the config in effect, the HTTP listener, and what is in flight. */
export class Engine {
  private current: EngineState;
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly inflight = new Set<AbortController>();
  private configIssues: ConfigIssue[] = [];
  private readonly app;

  constructor(
    config: Config,
    private readonly options: EngineOptions,
  ) {
    this.current = buildState(config);
    options.redactor.setSecrets(configSecrets(config));
    this.app = createApp({
      logger: options.logger,
      inflight: this.inflight,
      state: () => this.current,
      version: options.version,
    });
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
    };
  }

  url(): string | null {
    const address = this.server?.address() as AddressInfo | null | undefined;
    if (!address) return null;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${host}:${address.port}`;
  }

  async start(): Promise<string> {
    await this.listen(this.current.config.host, this.current.config.port);
    for (const warning of this.current.registry.warnings) this.options.logger.warn(warning);
    return this.url() ?? '';
  }

  /** Applies a validated config; a changed host or port moves the listener. */
  async applyConfig(config: Config): Promise<void> {
    const previous = this.current.config;
    this.options.redactor.setSecrets([...configSecrets(previous), ...configSecrets(config)]);
    const next = buildState(config);
    const moved = previous.host !== config.host || previous.port !== config.port;
    if (moved && this.server) {
      const old = this.server;
      const oldSockets = new Set(this.sockets);
      await this.listen(config.host, config.port);
      void this.closeServer(old, oldSockets, 5_000, false);
    }
    this.current = next;
    this.options.redactor.setSecrets(configSecrets(config));
    this.configIssues = [];
    for (const warning of next.registry.warnings) this.options.logger.warn(warning);
    this.options.logger.info('config applied', {
      providers: config.providers.length,
      models: next.registry.list().length,
    });
  }

  reportConfigIssues(issues: ConfigIssue[]): void {
    this.configIssues = issues;
  }

  /** Stops accepting, lets in-flight requests finish for up to graceMs, then aborts the rest. */
  async stop(graceMs = 4_000): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await this.closeServer(server, this.sockets, graceMs, true);
  }

  private async listen(host: string, port: number): Promise<void> {
    const server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 0 }, this.app);
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
    const timer = setTimeout(() => {
      if (abortAll)
        for (const controller of this.inflight) controller.abort(new Error('proxy shutting down'));
      for (const socket of sockets) socket.destroy();
    }, graceMs);
    timer.unref();
    await closed;
    clearTimeout(timer);
  }
}
