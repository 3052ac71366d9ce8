import { describe, expect, it, vi } from 'vitest';
import type { RequestRecord } from '../../shared/records';
import type { EngineStatus } from '../../shared/status';
import { sampleRecord } from '../../test/helpers/records';
import { MAX_SERIES, MAX_UNROUTED_MODELS, OTHER_MODELS, PrometheusMetrics } from './prometheus';

const status = (): EngineStatus => ({
  running: true,
  url: null,
  configIssues: [],
  warnings: [],
  loadedAt: 0,
  cooldowns: [
    { provider: 'work', account: 'claude-a', model: 'sonnet', until: Date.now() + 60_000, reason: '429' },
  ],
  health: {},
  quotas: [],
  usageLogError: null,
  accountFileProblems: [],
});

function record(status: number, attempts: RequestRecord['attempts']): RequestRecord {
  return sampleRecord({ provider: 'oai', account: 'oai', status, attempts });
}

const ok = { provider: 'oai', account: 'oai', status: 200, reason: 'ok', duration_ms: 10 };

describe('PrometheusMetrics', () => {
  it('reports at the first scrape every record made before it', async () => {
    const metrics = new PrometheusMetrics(status);
    metrics.observe(record(200, [ok]));
    metrics.observe(record(200, [ok]));
    metrics.observe(record(502, [{ ...ok, status: 503, reason: 'unavailable' }]));
    const { contentType, text } = await metrics.scrape();
    expect(contentType).toMatch(/^text\/plain/);
    expect(text).toContain('cliproxy_requests_total{provider="oai",model="gpt-4o-mini",status="200"} 2');
    expect(text).toContain('cliproxy_requests_total{provider="oai",model="gpt-4o-mini",status="502"} 1');
    expect(text).toContain('cliproxy_tokens_total{provider="oai",model="gpt-4o-mini",direction="output"} 60');
    expect(text).toContain('cliproxy_upstream_errors_total{provider="oai",reason="503"} 1');
    expect(text).toContain('# TYPE cliproxy_request_duration_seconds histogram');
    expect(text).toContain(
      'cliproxy_request_duration_seconds_bucket{le="+Inf",provider="oai",model="gpt-4o-mini"} 3',
    );
    expect(text).toContain('# TYPE cliproxy_ttft_seconds histogram');
    expect(text).toMatch(/cliproxy_ttft_seconds_count\{provider="oai",model="gpt-4o-mini"\} 3\n/);
    expect(text).toMatch(
      /cliproxy_account_cooldown\{provider="work",account="claude-a",model="sonnet"\} (59|60)(\.\d+)?\n/,
    );
    expect(text).toContain('cliproxy_process_cpu_seconds_total');
  });

  it('keeps a bounded number of series for model names no provider serves', async () => {
    const metrics = new PrometheusMetrics(status);
    const unrouted = (model: string) =>
      sampleRecord({ provider: null, account: null, resolved_model: null, model, status: 404, attempts: [] });
    for (let i = 0; i < 5_000; i++) metrics.observe(unrouted(`typo-${i}`));
    metrics.observe(unrouted('x'.repeat(10_000)));
    metrics.observe(record(200, [ok]));
    const { text } = await metrics.scrape();
    const series = text.match(/^cliproxy_requests_total\{provider="none"/gm) ?? [];
    expect(series.length).toBe(MAX_UNROUTED_MODELS + 1);
    expect(text).toContain('cliproxy_requests_total{provider="none",model="typo-0",status="404"} 1');
    expect(text).toContain(
      `cliproxy_requests_total{provider="none",model="${OTHER_MODELS}",status="404"} ${5_000 - MAX_UNROUTED_MODELS + 1}`,
    );
    expect(text).not.toContain('x'.repeat(300));
    // routed models keep their own series whatever the clients invented
    expect(text).toContain('cliproxy_requests_total{provider="oai",model="gpt-4o-mini",status="200"} 1');
  });

  it('bounds the series of routed models too (any name under an aggregator prefix reaches one)', async () => {
    const metrics = new PrometheusMetrics(status);
    for (let i = 0; i < 3_000; i++)
      metrics.observe(
        sampleRecord({ provider: 'or', account: 'or', resolved_model: `made-up-${i}`, status: 404 }),
      );
    const { text } = await metrics.scrape();
    const series = text.match(/^cliproxy_requests_total\{provider="or"/gm) ?? [];
    expect(series.length).toBe(MAX_SERIES + 1);
    expect(text).toContain(
      `cliproxy_requests_total{provider="or",model="${OTHER_MODELS}",status="404"} 2000`,
    );
  });

  it('answers a scrape before any request, and counts the ones after it', async () => {
    const metrics = new PrometheusMetrics(status);
    expect((await metrics.scrape()).text).not.toContain('cliproxy_requests_total{');
    metrics.observe(record(200, [ok]));
    expect((await metrics.scrape()).text).toContain(
      'cliproxy_requests_total{provider="oai",model="gpt-4o-mini",status="200"} 1',
    );
  });

  it('reports running totals: repeated scrapes neither double nor lose counts', async () => {
    const metrics = new PrometheusMetrics(status);
    metrics.observe(record(200, [ok]));
    await metrics.scrape();
    await metrics.scrape();
    metrics.observe(record(200, [ok]));
    metrics.observe({ ...record(429, [ok]), resolved_model: 'other', input_tokens: 0, output_tokens: 0 });
    const { text } = await metrics.scrape();
    expect(text).toContain('cliproxy_requests_total{provider="oai",model="gpt-4o-mini",status="200"} 2');
    expect(text).toContain('cliproxy_requests_total{provider="oai",model="other",status="429"} 1');
    expect(text).toContain('cliproxy_tokens_total{provider="oai",model="gpt-4o-mini",direction="output"} 40');
    // A model that used no tokens has no token series, as before the counts were summed.
    expect(text).not.toContain('model="other",direction=');
    expect(text).toContain('cliproxy_request_duration_seconds_count{provider="oai",model="gpt-4o-mini"} 2');
  });

  it('loads prom-client only for a scrape, never for a record', async () => {
    vi.resetModules();
    let loads = 0;
    vi.doMock('prom-client', async (importOriginal) => {
      loads++;
      return importOriginal();
    });
    try {
      const { PrometheusMetrics: Fresh } = await import('./prometheus');
      const metrics = new Fresh(status);
      metrics.observe(record(200, [ok]));
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(loads).toBe(0);
      expect((await metrics.scrape()).text).toContain('status="200"} 1');
      expect(loads).toBe(1);
    } finally {
      vi.doUnmock('prom-client');
      vi.resetModules();
    }
  });
});
