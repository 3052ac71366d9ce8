import type { RequestRecord } from '../../shared/records';

export interface LiveSecond {
  /** Second start, epoch milliseconds. */
  t: number;
  requests: number;
  errors: number;
  input_tokens: number;
  output_tokens: number;
}

/** Per-second counters of the last two minutes, for live charts; bounded whatever the traffic. */
export class LiveCounters {
  private readonly seconds = new Map<number, LiveSecond>();

  constructor(
    private readonly windowSeconds = 120,
    private readonly now: () => number = Date.now,
  ) {}

  add(record: RequestRecord): void {
    const t = Math.floor(this.now() / 1000) * 1000;
    const second = this.seconds.get(t) ?? { t, requests: 0, errors: 0, input_tokens: 0, output_tokens: 0 };
    second.requests++;
    if (record.status >= 400) second.errors++;
    second.input_tokens += record.input_tokens;
    second.output_tokens += record.output_tokens;
    this.seconds.set(t, second);
    this.trim();
  }

  /** Every second of the window, oldest first, zeros included so charts need no gap handling. */
  window(): LiveSecond[] {
    this.trim();
    const end = Math.floor(this.now() / 1000) * 1000;
    return Array.from({ length: this.windowSeconds }, (_, i) => {
      const t = end - (this.windowSeconds - 1 - i) * 1000;
      return this.seconds.get(t) ?? { t, requests: 0, errors: 0, input_tokens: 0, output_tokens: 0 };
    });
  }

  private trim(): void {
    const oldest = Math.floor(this.now() / 1000) * 1000 - (this.windowSeconds - 1) * 1000;
    for (const t of this.seconds.keys()) if (t < oldest) this.seconds.delete(t);
  }
}
