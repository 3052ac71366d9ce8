import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { RequestRecord } from '../../shared/records';
import type { EngineStatus } from '../../shared/status';

/** The Prometheus view of the proxy: counters and histograms fed by every request record. */
export class PrometheusMetrics {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'cliproxy_requests_total',
    help: 'Client requests by outcome',
    labelNames: ['provider', 'model', 'status'],
    registers: [this.registry],
  });
  private readonly tokens = new Counter({
    name: 'cliproxy_tokens_total',
    help: 'Tokens by direction',
    labelNames: ['provider', 'model', 'direction'],
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: 'cliproxy_request_duration_seconds',
    help: 'Whole request duration',
    labelNames: ['provider', 'model'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [this.registry],
  });
  private readonly ttft = new Histogram({
    name: 'cliproxy_ttft_seconds',
    help: 'Time to the first byte sent to the client',
    labelNames: ['provider', 'model'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
    registers: [this.registry],
  });
  private readonly upstreamErrors = new Counter({
    name: 'cliproxy_upstream_errors_total',
    help: 'Failed upstream attempts',
    labelNames: ['provider', 'reason'],
    registers: [this.registry],
  });

  constructor(status: () => EngineStatus) {
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
            { provider: c.account.split('-')[0] ?? c.account, account: c.account, model: c.model },
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
