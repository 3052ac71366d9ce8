import type { Metric, Registry } from 'prom-client';
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
 * What the records add up to, kept in plain maps and LabeledHistograms keyed by provider and model:
 * prom-client hashes the labels of every inc() and observe() call, five of them per request
 * (observing a record took 3.3–3.7 µs that way), and it need not be loaded until someone scrapes.
 */
/** How many model names of unrouted requests get a series of their own, and how long one may be. */
export const MAX_UNROUTED_MODELS = 100;
/** How many (provider, model) series the tallies keep before new models count as "(other)". */
export const MAX_SERIES = 1_000;
const MAX_LABEL_LENGTH = 200;
export const OTHER_MODELS = '(other)';

class Tallies {
  readonly totals = new Map<string, ModelTotals>();
  readonly duration = new LabeledHistogram<ModelTotals['labels']>(
    'cliproxy_request_duration_seconds',
    'Whole request duration',
    [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
  );
  readonly ttft = new LabeledHistogram<ModelTotals['labels']>(
    'cliproxy_ttft_seconds',
    'Time to the first byte sent to the client',
    [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
  );
  readonly upstreamErrors = new Map<
    string,
    { labels: { provider: string; reason: string }; count: number }
  >();

  /** Series for requests no provider took, whose model name is whatever a client sent. */
  private unrouted = 0;

  observe(record: RequestRecord): void {
    const provider = record.provider ?? 'none';
    let model = record.resolved_model ?? record.model;
    let key = `${provider}\u0000${model}`;
    let totals = this.totals.get(key);
    if (!totals) {
      // Model names can come from clients (an unknown model, or any name under an aggregator's
      // prefix): past a bound, one series per provider takes the new ones, so a client inventing
      // names cannot grow the tallies (and every scrape) without end. Unrouted names have a bound
      // of their own, so they cannot crowd out the served models.
      const crowded =
        provider === 'none' ? this.unrouted >= MAX_UNROUTED_MODELS : this.totals.size >= MAX_SERIES;
      if (crowded || model.length > MAX_LABEL_LENGTH) {
        model = OTHER_MODELS;
        key = `${provider}\u0000${model}`;
        totals = this.totals.get(key);
      } else if (provider === 'none') this.unrouted++;
    }
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
      if (attempt.status !== null && attempt.status < 400) continue;
      const reason = attempt.status === null ? 'network' : String(attempt.status);
      const errorKey = `${attempt.provider}\u0000${reason}`;
      const errors = this.upstreamErrors.get(errorKey);
      if (errors) errors.count++;
      else this.upstreamErrors.set(errorKey, { labels: { provider: attempt.provider, reason }, count: 1 });
    }
  }
}

/** The registry and its metrics, built from the tallies by the first scrape. */
class Instruments {
  readonly registry: Registry;

  constructor(
    { Counter, collectDefaultMetrics, Gauge, Registry }: PromClient,
    tallies: Tallies,
    status: () => EngineStatus,
  ) {
    this.registry = new Registry();
    const { totals, upstreamErrors } = tallies;
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
    this.registry.registerMetric(tallies.duration as unknown as Metric);
    this.registry.registerMetric(tallies.ttft as unknown as Metric);
    new Counter({
      name: 'cliproxy_upstream_errors_total',
      help: 'Failed upstream attempts',
      labelNames: ['provider', 'reason'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const { labels, count } of upstreamErrors.values()) this.inc(labels, count);
      },
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
}

/**
 * The Prometheus view of the proxy: counters and histograms fed by every request record. prom-client
 * costs about 6 MB of private memory (15 MB resident) once loaded, so it loads with the first scrape
 * of /metrics: an engine nobody scrapes never pays for it. The tallies start with the first record,
 * so the first scrape already reports everything since the engine started.
 */
export class PrometheusMetrics {
  private readonly tallies = new Tallies();
  private readonly instruments = lazy(
    async () => new Instruments(await import('prom-client'), this.tallies, this.status),
  );

  constructor(private readonly status: () => EngineStatus) {}

  observe(record: RequestRecord): void {
    this.tallies.observe(record);
  }

  /** The exposition text for GET /metrics, with its content type. */
  async scrape(): Promise<{ contentType: string; text: string }> {
    const { registry } = await this.instruments.get();
    return { contentType: registry.contentType, text: await registry.metrics() };
  }
}
