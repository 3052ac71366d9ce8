/**
 * Collects items pushed at any rate and hands them over at most once per interval, so 50 requests
 * a second cause four renders a second, not fifty.
 */
export function createBatcher<T>(flush: (items: T[]) => void, intervalMs = 250) {
  let pending: T[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = () => {
    timer = undefined;
    const items = pending;
    pending = [];
    if (items.length > 0) flush(items);
  };
  return {
    push(item: T) {
      pending.push(item);
      timer ??= setTimeout(run, intervalMs);
    },
    flushNow: run,
    cancel() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      pending = [];
    },
  };
}
