import { getHeapStatistics } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { type CompactorProbe, HeapCompactor, loadFullCollection } from './heap-compactor';

const MB = 1024 * 1024;

/** A process whose heap, CPU clock and wall clock the test moves by hand. */
function fakeProcess() {
  const state = { heap: 40 * MB, cpuMicros: 0, busy: false, at: 0, collections: 0 };
  const probe: CompactorProbe = {
    heapCommitted: () => state.heap,
    cpuMicros: () => state.cpuMicros,
    busy: () => state.busy,
  };
  const compactor = new HeapCompactor(
    () => {
      state.collections++;
      state.heap = 15 * MB;
      state.cpuMicros += 25_000;
    },
    probe,
    {},
    () => state.at,
  );
  /** `ms` of wall time pass, with the process using `cpuShare` of a core. */
  const pass = (ms: number, cpuShare: number) => {
    state.at += ms;
    state.cpuMicros += ms * 1000 * cpuShare;
  };
  /** `count` looks 5 s apart, the process using `cpuShare` of a core: what each one returned. */
  const looks = (count: number, cpuShare: number) =>
    Array.from({ length: count }, () => {
      pass(5_000, cpuShare);
      return compactor.look();
    });
  return { state, compactor, pass, looks };
}

describe('HeapCompactor', () => {
  it('collects once soon after start, then only after the heap grew and the process went idle', () => {
    const { state, compactor, pass, looks } = fakeProcess();
    compactor.start();
    compactor.stop(); // the test drives the looks itself
    pass(1_000, 0.01);
    expect(compactor.look()).toBe(true);
    expect(state.collections).toBe(1);

    // Idle, heap unchanged: nothing to give back.
    pass(5_000, 0);
    expect(compactor.look()).toBe(false);

    // A burst: the heap grows while the process is busy; no collection pauses it.
    state.heap = 120 * MB;
    pass(5_000, 1.6);
    expect(compactor.look()).toBe(false);
    // The burst is over but a request is still in flight.
    state.busy = true;
    pass(5_000, 0.01);
    expect(compactor.look()).toBe(false);
    // Idle and nothing in flight: the memory goes back once the engine has rested 15 s.
    state.busy = false;
    expect(looks(3, 0.01)).toEqual([false, false, true]);
    expect(state.collections).toBe(2);
    // Its own 25 ms of CPU does not make the next look think the process is busy.
    state.heap = 30 * MB;
    pass(5_000, 0);
    expect(compactor.look()).toBe(true);
  });

  it('does not collect in a pause between bursts shorter than the rest', () => {
    const { state, compactor, pass, looks } = fakeProcess();
    pass(1_000, 0);
    expect(compactor.look()).toBe(true);
    for (let burst = 0; burst < 5; burst++) {
      state.heap += 60 * MB;
      expect(looks(1, 1.5)).toEqual([false]);
      // 10 s of rest, then the next burst: the warm young generation stays.
      expect(looks(2, 0)).toEqual([false, false]);
    }
    expect(state.collections).toBe(1);
    // A request in flight ends the rest as well.
    state.busy = true;
    expect(looks(1, 0)).toEqual([false]);
    state.busy = false;
    expect(looks(3, 0)).toEqual([false, false, true]);
  });

  it('leaves a heap that grew less than the threshold alone', () => {
    const { state, compactor, pass } = fakeProcess();
    pass(1_000, 0);
    expect(compactor.look()).toBe(true);
    state.heap += 7 * MB;
    pass(5_000, 0);
    expect(compactor.look()).toBe(false);
  });
});

describe('loadFullCollection', () => {
  it('runs a full collection that gives garbage back, and leaves no gc global behind', () => {
    const globalGcBefore = typeof (globalThis as { gc?: unknown }).gc; // vitest may expose its own
    const collect = loadFullCollection();
    expect(collect).toBeTypeOf('function');
    let garbage: number[][] | undefined = Array.from({ length: 200 }, () => new Array(20_000).fill(1.5));
    const withGarbage = getHeapStatistics().used_heap_size;
    expect(garbage.length).toBe(200);
    garbage = undefined;
    collect?.();
    expect(getHeapStatistics().used_heap_size).toBeLessThan(withGarbage - 20 * MB);
    expect(runInNewContext('typeof gc')).toBe('undefined');
    expect(typeof (globalThis as { gc?: unknown }).gc).toBe(globalGcBefore);
  });
});
