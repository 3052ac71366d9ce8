/** One label set's observations: a count per bucket (not cumulative), their sum and number. */
interface Series<L> {
  labels: L;
  counts: Float64Array;
  sum: number;
  count: number;
}

/** A sample as prom-client's registry reads it from a metric's get(). */
interface Sample {
  labels: Record<string, string | number>;
  value: number;
  metricName: string;
}

/**
 * A Prometheus histogram kept here and read by prom-client's registry (it asks any registered metric
 * for `get()`), because prom-client's own Histogram hashes the label object on every observe (prom-client was
 * about 1% of the engine's CPU profile per request, most of it in the two histograms). Observations name their label set by a key the
 * caller already has; the exposition text is the same as prom-client's.
 */
export class LabeledHistogram<L extends Record<string, string>> {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly series = new Map<string, Series<L>>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly bounds: readonly number[],
  ) {}

  /** Counts `value` for the label set `labels`, which `key` names (the same key, the same labels). */
  observe(key: string, labels: L, value: number): void {
    let series = this.series.get(key);
    if (!series) {
      series = { labels, counts: new Float64Array(this.bounds.length), sum: 0, count: 0 };
      this.series.set(key, series);
    }
    series.sum += value;
    series.count += 1;
    // A loop, not findIndex: no closure per observation on the request path.
    for (let i = 0; i < this.bounds.length; i++) {
      if (value <= (this.bounds[i] as number)) {
        series.counts[i] = (series.counts[i] ?? 0) + 1;
        break;
      }
    }
  }

  async get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: Sample[] }> {
    const values: Sample[] = [];
    const bucket = `${this.name}_bucket`;
    for (const { labels, counts, sum, count } of this.series.values()) {
      let cumulative = 0;
      this.bounds.forEach((bound, i) => {
        cumulative += counts[i] ?? 0;
        values.push({ labels: { le: bound, ...labels }, value: cumulative, metricName: bucket });
      });
      values.push({ labels: { le: '+Inf', ...labels }, value: count, metricName: bucket });
      values.push({ labels, value: sum, metricName: `${this.name}_sum` });
      values.push({ labels, value: count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }
}
