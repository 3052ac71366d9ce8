// The headless engine on Linux relaunches itself once, in place (same PID), with a fixed glibc trim
// threshold. glibc raises its trim and mmap thresholds each time a large block is freed. After
// that, the heaps of V8's helper threads and of the usage writer keep megabytes that nothing
// uses, and large request bodies come from the main heap and fragment it (up to +80 MB measured).
// Fixing the trim threshold stops that and leaves the mmap threshold at 128 KB. RSS after a 100k
// soak with 1 MB prompts before it: +23% of idle, against +70% without (docs/PERFORMANCE.md,
// fixes 30 and 34). 512 KB rather than the first 128 KB: as little memory, and in a busy hour on a
// shared VM, side by side, 128 KB cost 12-17% more CPU per request than no relaunch while 512 KB
// cost 0-8% (means of two engines, for chat and for streams; glibc gave the top of its heap back
// and faulted it in again less often). In a quieter hour all three cost the same. glibc reads
// GLIBC_TUNABLES only when a process starts, hence the relaunch.

export const ALLOCATOR_TUNABLES = 'glibc.malloc.trim_threshold=524288';
/** Set to 1 to keep the process as it was started (no relaunch). */
export const NO_RELAUNCH_ENV = 'CLIPROXY_NO_ALLOCATOR_TUNING';

export interface RelaunchProbe {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  /** The C library is glibc (musl and the others do not read GLIBC_TUNABLES). */
  glibc: boolean;
  /** The runtime can replace the process in place (`process.execve`, Node 22.15 and later). */
  canReplaceProcess: boolean;
}

/** The environment to relaunch with, or undefined to go on as started. */
export function relaunchEnvironment(probe: RelaunchProbe): Record<string, string> | undefined {
  if (probe.platform !== 'linux' || probe.env[NO_RELAUNCH_ENV] === '1') return undefined;
  // Already relaunched, or the user chose their own tunables: theirs win, and there is no loop.
  if (probe.env.GLIBC_TUNABLES !== undefined) return undefined;
  // Asked last: `glibc` costs a diagnostic report (~3 ms) in probeThisProcess.
  if (!probe.canReplaceProcess || !probe.glibc) return undefined;
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(probe.env)) if (value !== undefined) env[name] = value;
  env.GLIBC_TUNABLES = ALLOCATOR_TUNABLES;
  return env;
}

type Execve = (file: string, args: string[], env: Record<string, string>) => never;

const processExecve = (): Execve | undefined => (process as unknown as { execve?: Execve }).execve;

/**
 * The facts relaunchEnvironment decides on, for this process. `glibc` is read only when asked, so
 * the relaunched process (GLIBC_TUNABLES set) and other systems never build the report it needs.
 */
export function probeThisProcess(): RelaunchProbe {
  return {
    platform: process.platform,
    env: process.env,
    get glibc() {
      return process.platform === 'linux' && isGlibc();
    },
    canReplaceProcess: typeof processExecve() === 'function',
  };
}

/** Replaces this process with itself under ALLOCATOR_TUNABLES when relaunchEnvironment says so. */
export function relaunchWithAllocatorTuning(): void {
  const execve = processExecve();
  const env = relaunchEnvironment(probeThisProcess());
  if (!env || !execve) return;
  try {
    execve.call(
      process,
      process.execPath,
      [process.execPath, ...process.execArgv, ...process.argv.slice(1)],
      env,
    );
  } catch {
    // Not replaced (a sandbox refusing execve, say): serve as started, only with the default allocator.
  }
}

function isGlibc(): boolean {
  try {
    const header = (process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header;
    return typeof header?.glibcVersionRuntime === 'string';
  } catch {
    return false;
  }
}
