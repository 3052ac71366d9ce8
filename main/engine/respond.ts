import { once } from 'node:events';
import type { Response } from 'express';
import type { FormatId, IRError } from './formats/ir';
import { codecFor } from './formats/registry';

/**
 * Holds the response's bytes until the end of this turn of the event loop, so what is ready together
 * (the headers and the first chunk, chunks that arrived in one read, the last chunk and the end)
 * leaves in one socket write instead of one each: on loopback a write costs more than the relay's
 * own work. end() flushes at once whatever is held; nothing waits longer than the current turn.
 *
 * The socket is corked, not the response: a corked ServerResponse keeps chunked data aside and
 * end() would then send the terminating chunk before it.
 */
function coalesceWrites(res: Response): void {
  const socket = res.socket;
  if (!socket || socket.writableCorked > 0 || res.writableEnded) return;
  socket.cork();
  setImmediate(() => {
    // Once the response ended, end() has flushed the socket and it may already serve the next request.
    if (!res.writableEnded) socket.uncork();
  });
}

/** Writes and waits for drain when the client reads slower than the upstream writes. */
export async function write(res: Response, data: string | Uint8Array, signal: AbortSignal): Promise<void> {
  if (data.length === 0) return;
  coalesceWrites(res);
  if (!res.write(data)) await once(res, 'drain', { signal });
}

/** An error as a JSON response in the client's format, with Retry-After when known. */
export function sendFormatError(res: Response, format: FormatId, error: IRError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (error.retryAfter !== undefined) res.setHeader('retry-after', String(Math.ceil(error.retryAfter)));
  res.status(error.status).json(codecFor(format).encodeError(error));
}

export function streamContentType(format: FormatId, sse: boolean): string {
  return format === 'gemini' && !sse ? 'application/json; charset=utf-8' : 'text/event-stream; charset=utf-8';
}

export function startStream(res: Response, format: FormatId, sse: boolean): void {
  res.status(200);
  res.setHeader('content-type', streamContentType(format, sse));
  res.setHeader('cache-control', 'no-cache');
  res.setHeader('x-accel-buffering', 'no');
  coalesceWrites(res);
  res.flushHeaders();
}
