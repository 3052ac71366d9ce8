import { relaunchWithAllocatorTuning } from './allocator-relaunch';
import { main } from './cli';

// node:sqlite (the usage log) is stable enough for this use but still flagged experimental;
// its one-line warning on every start would only alarm users.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const text = typeof warning === 'string' ? warning : warning.message;
  if (/SQLite is an experimental feature/.test(text)) return;
  (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;

// A closed stdout/stderr (the parent went away) must not turn logging into a crash loop.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});

function report(what: string, detail: string): void {
  try {
    if (process.stderr.writable) process.stderr.write(`${what} (the proxy keeps running): ${detail}\n`);
  } catch {
    // nowhere left to report to
  }
}

process.on('uncaughtException', (error) => {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED') return;
  report('uncaught error', error.stack ?? error.message);
});
process.on('unhandledRejection', (reason) => report('unhandled rejection', String(reason)));

// `serve` on glibc Linux replaces this process once (same PID) before anything starts.
if (process.argv[2] === 'serve') relaunchWithAllocatorTuning();
void main();
