import { main } from './cli';

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

void main();
