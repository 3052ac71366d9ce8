import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type FullCollection = () => void;

/**
 * V8's memory-reducing full collection (what its memory reducer runs some time after a process goes
 * idle), without starting Node with --expose-gc: the flag is on only while one new context is made,
 * so no other context ever sees a `gc` global. Undefined where the runtime refuses.
 */
export function loadFullCollection(): FullCollection | undefined {
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as (options: object) => void;
    return () => gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
  } catch {
    return undefined;
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
}

export interface CompactorProbe {
  /** Bytes V8 holds for the JS heap now (committed, used or not). */
  heapCommitted(): number;
  /** CPU time this process has used so far, all threads, microseconds. */
  cpuMicros(): number;
  /** Whether a request is being served (a collection would pause it). */
  busy(): boolean;
}

export interface CompactorOptions {
  /** The first look, soon after start: starting leaves the garbage of loading every module. */
  firstAfterMs?: number;
  intervalMs?: number;
  /** Collect only when the heap grew this much since the last collection. */
  growthBytes?: number;
  /** Idle = the process used less than this share of one core since the last look. */
  idleCpuShare?: number;
  /**
   * After the first collection, how long the process must have been idle before the next one. A
   * collection leaves V8's young generation at 1 MB and the burst after it cost 30-37% more CPU per
   * request (docs/PERFORMANCE.md, fix 37): a pause between bursts should not pay that.
   */
  restMs?: number;
}

/**
 * Gives memory back once the engine has rested, instead of whenever V8's memory reducer gets to it
 * (measured: 35 to 95 s after a burst, 40 s after start). One collection takes ~25 ms on an idle
 * engine; it runs only when nothing is in flight, the process has been nearly idle for `restMs`
 * (the first one, for the garbage of starting, as soon as it is idle) and the heap has grown since
 * the last one, so a busy engine never pays for it.
 */
export class HeapCompactor {
  private timer: NodeJS.Timeout | undefined;
  private lastCpu = 0;
  private lastLookAt = 0;
  private compactedAt: number | undefined;
  /** When the current idle stretch began: the look before the first idle window. */
  private idleSince: number | undefined;
  private readonly options: Required<CompactorOptions>;

  constructor(
    private readonly collect: FullCollection,
    private readonly probe: CompactorProbe,
    options: CompactorOptions = {},
    private readonly now: () => number = () => performance.now(),
  ) {
    this.options = {
      firstAfterMs: 1_000,
      intervalMs: 5_000,
      growthBytes: 8 * 1024 * 1024,
      idleCpuShare: 0.05,
      restMs: 15_000,
      ...options,
    };
  }

  start(): void {
    this.stop();
    this.lastCpu = this.probe.cpuMicros();
    this.lastLookAt = this.now();
    this.schedule(this.options.firstAfterMs);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** One look: collects when idle and grown; true when it did. */
  look(): boolean {
    const cpu = this.probe.cpuMicros();
    const at = this.now();
    const cpuShare = (cpu - this.lastCpu) / 1000 / Math.max(1, at - this.lastLookAt);
    const windowStart = this.lastLookAt;
    this.lastCpu = cpu;
    this.lastLookAt = at;
    if (this.probe.busy() || cpuShare >= this.options.idleCpuShare) {
      this.idleSince = undefined;
      return false;
    }
    this.idleSince ??= windowStart;
    if (this.compactedAt !== undefined) {
      if (at - this.idleSince < this.options.restMs) return false;
      if (this.probe.heapCommitted() - this.compactedAt < this.options.growthBytes) return false;
    }
    this.collect();
    this.compactedAt = this.probe.heapCommitted();
    // The collection's own CPU time is not the engine's activity.
    this.lastCpu = this.probe.cpuMicros();
    return true;
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(() => {
      this.look();
      this.schedule(this.options.intervalMs);
    }, ms);
    this.timer.unref();
  }
}

let processCollection: { collect: FullCollection | undefined } | undefined;

/** The compactor of a process: its real heap, CPU clock, and what its engine has in flight. */
export function processHeapCompactor(busy: () => boolean): HeapCompactor | undefined {
  processCollection ??= { collect: loadFullCollection() };
  const { collect } = processCollection;
  if (!collect) return undefined;
  return new HeapCompactor(collect, {
    heapCommitted: () => getHeapStatistics().total_heap_size,
    cpuMicros: () => {
      const { user, system } = process.cpuUsage();
      return user + system;
    },
    busy,
  });
}
