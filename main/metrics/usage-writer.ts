// The usage log's writer thread. It owns the only writing connection, so inserts (and the disk)
// never block the proxy's event loop. Kept free of project imports: in development it runs from
// source through Node's type stripping, in the app from its own bundle (dist/usage-writer.mjs).
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';

/** One value per column, in the order of `columns`. */
type Row = Array<string | number | null>;
/** id, request, response, request_truncated, response_truncated (log_bodies). */
type BodiesRow = [string, string | null, string | null, number, number];
type Message =
  | { type: 'batch'; rows: Row[]; bodies?: BodiesRow[] }
  | { type: 'flush'; id: number }
  | { type: 'exec'; sql: string; id: number };

const MAX_PENDING = 10_000;
/** Bodies (log_bodies) are larger and the first thing given up when the disk refuses writes. */
const MAX_PENDING_BODIES = 1_000;
const { path, columns } = workerData as { path: string; columns: string[] };
// Same as the CLI entry: node:sqlite's experimental-feature warning would only alarm users.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  if (/SQLite is an experimental feature/.test(typeof warning === 'string' ? warning : warning.message))
    return;
  (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;
const sqlite = createRequire(import.meta.url)('node:sqlite') as typeof import('node:sqlite');
const db = new sqlite.DatabaseSync(path);
db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;');
const insert = db.prepare(
  `INSERT OR REPLACE INTO requests (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
);
const insertBodies = db.prepare(
  'INSERT OR REPLACE INTO request_bodies (id, request, response, request_truncated, response_truncated) VALUES (?, ?, ?, ?, ?)',
);
let pending: Row[] = [];
let pendingBodies: BodiesRow[] = [];

/** `answersBatch`: this write is the one answer the main thread counts for a posted batch. */
function write(answersBatch: boolean): void {
  if (pending.length === 0 && pendingBodies.length === 0) return;
  const batch = pending;
  const bodies = pendingBodies;
  pending = [];
  pendingBodies = [];
  try {
    db.exec('BEGIN');
    for (const row of batch) insert.run(...row);
    for (const row of bodies) insertBodies.run(...row);
    db.exec('COMMIT');
    parentPort?.postMessage({ type: 'written', count: batch.length, answersBatch });
  } catch (error) {
    try {
      db.exec('ROLLBACK');
    } catch {
      // nothing was begun
    }
    // Keep the rows for the next try; beyond the cap the oldest are dropped and counted.
    pending = [...batch, ...pending];
    const dropped = Math.max(0, pending.length - MAX_PENDING);
    pending = pending.slice(dropped);
    pendingBodies = [...bodies, ...pendingBodies].slice(-MAX_PENDING_BODIES);
    parentPort?.postMessage({
      type: 'error',
      message: `usage log write failed: ${(error as Error).message}`,
      dropped,
      answersBatch,
    });
  }
}

parentPort?.on('message', (message: Message) => {
  if (message.type === 'batch') {
    pending.push(...message.rows);
    if (message.bodies) pendingBodies.push(...message.bodies);
    write(true);
  } else if (message.type === 'flush') {
    write(false);
    parentPort?.postMessage({ type: 'flushed', id: message.id });
  } else if (message.type === 'exec') {
    db.exec(message.sql);
    parentPort?.postMessage({ type: 'flushed', id: message.id });
  }
});
