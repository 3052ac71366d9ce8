import type { Counter, Metric, Registry } from 'prom-client';
import type { RequestRecord } from '../../shared/records';
import type { EngineStatus } from '../../shared/status';
import { lazy } from '../lazy';
import { LabeledHistogram } from './labeled-histogram';

type PromClient = typeof import('prom-client');

/** What the request and token counters report for one provider and model. */
interface ModelTotals {
  labels: { provider: string; model: string };
  requestsByStatus: Map<number, number>;
  inputTokens: number;
  outputTokens: number;
}

/**
 * The counters and histograms, built once prom-client is loaded. Request and token counts are
 * summed here per provider and model and handed to their counters when a scrape collects them, and
 * the two histograms are LabeledHistograms keyed the same way: prom-client hashes the labels of
 * every inc() and observe() call, five of them per request (observing a record took 3.3–3.7 µs
 * that way).
 */
class Instruments {
  readonly registry: Registry;
  private readonly totals = new Map<string, ModelTotals>();
  private readonly duration = new LabeledHistogram<ModelTotals['labels']>(
    'cliproxy_request_duration_seconds',
    'Whole request duration',
    [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
  );
  private readonly ttft = new LabeledHistogram<ModelTotals['labels']>(
    'cliproxy_ttft_seconds',
    'Time to the first byte sent to the client',
    [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
  );
  private readonly upstreamErrors: Counter;

  constructor({ Counter, collectDefaultMetrics, Gauge, Registry }: PromClient, status: () => EngineStatus) {
    this.registry = new Registry();
    const totals = this.totals;
    new Counter({
      name: 'cliproxy_requests_total',
      help: 'Client requests by outcome',
      labelNames: ['provider', 'model', 'status'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const { labels, requestsByStatus } of totals.values()) {
          for (const [status, count] of requestsByStatus)
            this.inc({ ...labels, status: String(status) }, count);
        }
      },
    });
    new Counter({
      name: 'cliproxy_tokens_total',
      help: 'Tokens by direction',
      labelNames: ['provider', 'model', 'direction'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const { labels, inputTokens, outputTokens } of totals.values()) {
          if (inputTokens > 0) this.inc({ ...labels, direction: 'input' }, inputTokens);
          if (outputTokens > 0) this.inc({ ...labels, direction: 'output' }, outputTokens);
        }
      },
    });
    // prom-client's registry reads any metric through its get(); the cast is its declared type.
    this.registry.registerMetric(this.duration as unknown as Metric);
    this.registry.registerMetric(this.ttft as unknown as Metric);
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
    const key = `${provider}\u0000${model}`;
    let totals = this.totals.get(key);
    if (!totals) {
      totals = { labels: { provider, model }, requestsByStatus: new Map(), inputTokens: 0, outputTokens: 0 };
      this.totals.set(key, totals);
    }
    totals.requestsByStatus.set(record.status, (totals.requestsByStatus.get(record.status) ?? 0) + 1);
    totals.inputTokens += record.input_tokens;
    totals.outputTokens += record.output_tokens;
    this.duration.observe(key, totals.labels, record.duration_ms / 1000);
    if (record.ttft_ms !== null) this.ttft.observe(key, totals.labels, record.ttft_ms / 1000);
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
