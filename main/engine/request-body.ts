import type { IncomingMessage } from 'node:http';

/**
 * Bodies declared at least this large are copied into one buffer as they arrive. Node's HTTP
 * parser hands every chunk over in its own malloc'd copy of up to 64 KB; kept until the garbage
 * collector finds them, a 1 MB prompt's sixteen copies (270 MB/s of them at four connections)
 * grew glibc's main heap to 60–88 MB, which it never gave back. The price is fresh memory for every
 * such body (its own mapping, faulted in page by page): 4–15% more CPU on a 1 MB prompt than when the
 * bloated heap served it. Small bodies usually arrive in one chunk.
 */
export const COPY_AS_READ_FROM_BYTES = 64 * 1024;

/**
 * Below this a Buffer may be a slice of Node's shared 8 KB pool (Buffer.allocUnsafe pools only
 * sizes under 4 KB), and releasing its memory would tear the other slices.
 */
const OWN_MEMORY_FROM_BYTES = 4096;

// ES2024's ArrayBuffer.prototype.transfer (Node 21+), not yet in the ES2023 lib this project types against.
type Transferable = ArrayBuffer & { transfer(length: number): ArrayBuffer };

/**
 * Frees a chunk's memory now rather than at the next garbage collection, once nothing else can read
 * it: it detaches the chunk's ArrayBuffer (`transfer(0)`), and the detached chunk reads as empty.
 * Only a chunk that is its ArrayBuffer's sole view is released: never a slice of a shared one.
 */
export function releaseChunk(chunk: Buffer): boolean {
  const buffer = chunk.buffer as Transferable;
  if (chunk.byteLength < OWN_MEMORY_FROM_BYTES) return false;
  if (chunk.byteOffset !== 0 || chunk.byteLength !== buffer.byteLength) return false;
  try {
    buffer.transfer(0);
    return true;
  } catch {
    // Not detachable (a buffer Node or V8 keeps for itself): the collector frees it as before.
    return false;
  }
}

/**
 * Reads a request body whose length the client declared, then calls `done` with it. A client that
 * goes away first gets nothing: no 'end' comes, and the listeners go with the request. No 'error'
 * listener either: an IncomingMessage emits 'error' only to listeners it has. Callbacks
 * rather than a promise: this runs for every request, and a promise, its executor and the async
 * frame were ~0.9 KB of garbage each time.
 */
export function readDeclaredBody(
  req: IncomingMessage,
  declaredBytes: number,
  done: (body: Buffer) => void,
): void {
  if (declaredBytes >= COPY_AS_READ_FROM_BYTES) {
    readIntoOneBuffer(req, declaredBytes, done);
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    size += chunk.length;
  });
  req.on('end', () => done(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size)));
}

function readIntoOneBuffer(req: IncomingMessage, declaredBytes: number, done: (body: Buffer) => void): void {
  // Its own memory (not the pool), so it is unmapped as a whole once the request is done with it.
  const body = Buffer.allocUnsafeSlow(declaredBytes);
  let filled = 0;
  // node:http ends the body at the declared length, so the chunks always fit.
  req.on('data', (chunk: Buffer) => {
    filled += chunk.copy(body, filled);
    releaseChunk(chunk);
  });
  // Never hand on bytes that were not received (allocUnsafeSlow leaves them uninitialized).
  req.on('end', () => done(filled === body.length ? body : body.subarray(0, filled)));
}
