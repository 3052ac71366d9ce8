/** A deadline being watched; pass it back to `cancel` once the work finished in time. */
export interface Deadline {
  readonly at: number;
  readonly expire: () => void;
}

/**
 * Deadlines of many in-flight requests on one timer: each is an entry in a set swept every
 * `tickMs`, instead of a Node timer armed and cleared per request (setTimeout and clearTimeout
 * were about 1.5% of the engine's CPU per request). A deadline fires up to `tickMs` late, which
 * suits the total timeout (minutes by default). The sweep timer runs only while deadlines exist.
 */
export class DeadlineSweeper {
  private readonly pending = new Set<Deadline>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly tickMs = 250,
    private readonly now: () => number = Date.now,
  ) {}

  /** Calls `expire` once `ms` have passed, unless cancelled first. */
  watch(ms: number, expire: () => void): Deadline {
    const deadline = { at: this.now() + ms, expire };
    this.pending.add(deadline);
    if (!this.timer) {
      this.timer = setInterval(() => this.sweep(), this.tickMs);
      this.timer.unref();
    }
    return deadline;
  }

  cancel(deadline: Deadline): void {
    this.pending.delete(deadline);
  }

  /** How many deadlines are being watched (tests). */
  get size(): number {
    return this.pending.size;
  }

  private sweep(): void {
    // Stopped here rather than on the last cancel: under steady traffic the set empties and refills
    // between requests, and the timer would be re-armed for each one.
    if (this.pending.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
      return;
    }
    const now = this.now();
    for (const deadline of this.pending) {
      if (deadline.at > now) continue;
      this.pending.delete(deadline);
      try {
        deadline.expire();
      } catch {
        // one expiry's failure must not stop the others
      }
    }
  }
}
