import type { Counter, Histogram, Registry } from 'prom-client';
import type { RequestRecord } from '../../shared/records';
import type { EngineStatus } from '../../shared/status';
import { lazy } from '../lazy';

type PromClient = typeof import('prom-client');

/** The counters and histograms, built once prom-client is loaded. */
class Instruments {
  readonly registry: Registry;
  private readonly requests: Counter;
  private readonly tokens: Counter;
  private readonly duration: Histogram;
  private readonly ttft: Histogram;
  private readonly upstreamErrors: Counter;

  constructor(
    { Counter, collectDefaultMetrics, Gauge, Histogram, Registry }: PromClient,
    status: () => EngineStatus,
  ) {
    this.registry = new Registry();
    this.requests = new Counter({
      name: 'cliproxy_requests_total',
      help: 'Client requests by outcome',
      labelNames: ['provider', 'model', 'status'],
      registers: [this.registry],
    });
    this.tokens = new Counter({
      name: 'cliproxy_tokens_total',
      help: 'Tokens by direction',
      labelNames: ['provider', 'model', 'direction'],
      registers: [this.registry],
    });
    this.duration = new Histogram({
      name: 'cliproxy_request_duration_seconds',
      help: 'Whole request duration',
      labelNames: ['provider', 'model'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers: [this.registry],
    });
    this.ttft = new Histogram({
      name: 'cliproxy_ttft_seconds',
      help: 'Time to the first byte sent to the client',
      labelNames: ['provider', 'model'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers: [this.registry],
    });
    this.upstreamErrors = new Counter({
      name: 'cliproxy_upstream_errors_total',
      help: 'Failed upstream attempts',
      labelNames: ['provider', 'reason'],
      registers: [this.registry],
    });
    collectDefaultMetrics({ register: this.registry, prefix: 'cliproxy_' });
    new Gauge({
      name: 'cliproxy_account_cooldown',
      help: 'Seconds left in an account cooldown (per model)',
      labelNames: ['provider', 'account', 'model'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const c of status().cooldowns) {
          this.set(
            { provider: c.provider, account: c.account, model: c.model },
            Math.max(0, (c.until - Date.now()) / 1000),
          );
        }
      },
    });
  }

  observe(record: RequestRecord): void {
    const provider = record.provider ?? 'none';
    const model = record.resolved_model ?? record.model;
    this.requests.inc({ provider, model, status: String(record.status) });
    if (record.input_tokens) this.tokens.inc({ provider, model, direction: 'input' }, record.input_tokens);
    if (record.output_tokens) this.tokens.inc({ provider, model, direction: 'output' }, record.output_tokens);
    this.duration.observe({ provider, model }, record.duration_ms / 1000);
    if (record.ttft_ms !== null) this.ttft.observe({ provider, model }, record.ttft_ms / 1000);
    for (const attempt of record.attempts) {
      if (attempt.status === null || attempt.status >= 400) {
        this.upstreamErrors.inc({
          provider: attempt.provider,
          reason: attempt.status === null ? 'network' : String(attempt.status),
        });
      }
    }
  }
}

/**
 * The Prometheus view of the proxy: counters and histograms fed by every request record. prom-client
 * costs about 6 MB resident once loaded, so it loads with the first record or the first scrape;
 * records that arrive while it loads are kept and counted once it is there.
 */
export class PrometheusMetrics {
  private readonly instruments = lazy(async () => {
    const instruments = new Instruments(await import('prom-client'), this.status);
    for (const record of this.waiting.splice(0)) instruments.observe(record);
    return instruments;
  });
  private readonly waiting: RequestRecord[] = [];

  constructor(private readonly status: () => EngineStatus) {}

  observe(record: RequestRecord): void {
    const instruments = this.instruments.value;
    if (instruments) {
      instruments.observe(record);
      return;
    }
    this.waiting.push(record);
    // Should prom-client fail to load, the records held for it go (the usage log keeps them all).
    this.instruments.get().catch(() => {
      this.waiting.length = 0;
    });
  }

  /** The exposition text for GET /metrics, with its content type. */
  async scrape(): Promise<{ contentType: string; text: string }> {
    const { registry } = await this.instruments.get();
    return { contentType: registry.contentType, text: await registry.metrics() };
  }
}
