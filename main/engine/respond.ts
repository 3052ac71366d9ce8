import { once } from 'node:events';
import type { Response } from 'express';
import type { FormatId, IRError } from './formats/ir';
import { codecFor } from './formats/registry';

/** Writes and waits for drain when the client reads slower than the upstream writes. */
export async function write(res: Response, data: string | Uint8Array, signal: AbortSignal): Promise<void> {
  if (data.length === 0) return;
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
  res.flushHeaders();
}
