/**
 * A token bucket: `rate` tokens a second, at most `burst` saved up. A caller may wait a bounded time
 * for its token; waiting callers reserve tokens in order, so the bucket stays fair under contention.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly rate: number,
    private readonly burst: number = Math.max(1, Math.ceil(rate)),
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.updatedAt = now();
  }

  private refill(): void {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.updatedAt) / 1000) * this.rate);
    this.updatedAt = now;
  }

  /** Milliseconds until a token would be available for a new caller (0 = now). */
  waitTime(): number {
    this.refill();
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.rate) * 1000);
  }

  /** Takes a token, waiting up to maxWaitMs; false (nothing taken) when the wait would be longer. */
  async take(maxWaitMs: number, signal?: AbortSignal): Promise<boolean> {
    const wait = this.waitTime();
    if (wait > maxWaitMs) return false;
    this.tokens -= 1;
    if (wait === 0) return true;
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, wait);
        signal?.addEventListener(
          'abort',
          () => {
            clearTimeout(timer);
            reject(signal.reason);
          },
          { once: true },
        );
      });
    } catch {
      this.tokens += 1;
      return false;
    }
    return true;
  }
}
