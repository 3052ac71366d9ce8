import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { FormatId, IRError } from './formats/ir';
import { codecFor } from './formats/registry';
import { RelayResponse } from './relay-response';

/**
 * Holds the response's bytes until the end of this turn of the event loop, so what is ready together
 * (the headers and the first chunk, chunks that arrived in one read, the last chunk and the end)
 * leaves in one socket write instead of one each: on loopback a write costs more than the relay's
 * own work. end() flushes at once whatever is held; nothing waits longer than the current turn.
 *
 * The socket is corked, not the response: a corked ServerResponse keeps chunked data aside and
 * end() would then send the terminating chunk before it.
 */
function coalesceWrites(res: ServerResponse): void {
  const socket = res.socket;
  if (!socket || socket.writableCorked > 0 || res.writableEnded) return;
  socket.cork();
  setImmediate(() => {
    // Once the response ended, end() has flushed the socket and it may already serve the next request.
    if (res.writableEnded) return;
    if (res instanceof RelayResponse) res.flushHeld();
    socket.uncork();
  });
}

/**
 * Writes; when the client reads slower than the upstream writes, returns a promise of the drain to
 * wait for. Nothing (no promise, no microtask) in the common case where the socket takes the
 * chunk: a relay writes once per upstream event. What is written to the engine's own responses
 * while the socket is held (text or relayed bytes) is joined into one chunk for the end of the turn
 * (see RelayResponse).
 */
export function write(
  res: ServerResponse,
  data: string | Uint8Array,
  signal: AbortSignal,
): Promise<unknown> | undefined {
  if (data.length === 0) return undefined;
  coalesceWrites(res);
  if (res instanceof RelayResponse && res.socket?.writableCorked) {
    res.hold(data);
    return res.writableNeedDrain ? once(res, 'drain', { signal }) : undefined;
  }
  return res.write(data) ? undefined : once(res, 'drain', { signal });
}

/**
 * A JSON answer with the headers Express's res.json sends (its etag is off), on a plain node:http
 * response: the request path does not go through Express (see app.ts).
 */
export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.statusCode = status;
  if (!res.hasHeader('content-type')) res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(body));
  res.end(body);
}

/** An error as a JSON response in the client's format, with Retry-After when known. */
export function sendFormatError(res: ServerResponse, format: FormatId, error: IRError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (error.retryAfter !== undefined) res.setHeader('retry-after', String(Math.ceil(error.retryAfter)));
  sendJson(res, error.status, codecFor(format).encodeError(error));
}

export function streamContentType(format: FormatId, sse: boolean): string {
  return format === 'gemini' && !sse ? 'application/json; charset=utf-8' : 'text/event-stream; charset=utf-8';
}

export function startStream(res: ServerResponse, format: FormatId, sse: boolean): void {
  res.statusCode = 200;
  res.setHeader('content-type', streamContentType(format, sse));
  res.setHeader('cache-control', 'no-cache');
  res.setHeader('x-accel-buffering', 'no');
  coalesceWrites(res);
  res.flushHeaders();
}
