import { type IncomingMessage, ServerResponse } from 'node:http';
import { BodyCapture, type CapturedBody } from './body-capture';

/** Bytes of a response's body and when its first byte was written; optionally the body itself. */
export interface ResponseMeter {
  bytes(): number;
  firstByteAt(): number | undefined;
  /** Keeps the first `maxBytes` of the body from now on (log_bodies). */
  captureBody(maxBytes: number): void;
  /** What captureBody kept; undefined when it was not asked for or nothing was written. */
  capturedBody(): CapturedBody | undefined;
}

type Write = (...args: unknown[]) => boolean;
const captures = new WeakMap<ServerResponse, BodyCapture>();
type End = (...args: unknown[]) => ServerResponse;

function sizeOf(chunk: unknown): number {
  if (chunk === undefined || chunk === null || typeof chunk === 'function') return 0;
  return typeof chunk === 'string' ? Buffer.byteLength(chunk) : (chunk as Uint8Array).length;
}

/**
 * The engine server's response class: it counts its body bytes and notes its first byte itself.
 * Wrapping write/end on each response instead gives every response two own properties, a new
 * shape, and Node's HTTP code that handles responses then sees many shapes where it was built for
 * one: bench:ab measured 11–14% more CPU per passthrough request that way.
 */
export class MeteredResponse<Request extends IncomingMessage = IncomingMessage>
  extends ServerResponse<Request>
  implements ResponseMeter
{
  private bodyBytes = 0;
  private firstByte: number | undefined = undefined;

  bytes(): number {
    return this.bodyBytes;
  }

  firstByteAt(): number | undefined {
    return this.firstByte;
  }

  // Opt-in and rare (log_bodies): kept off the instance's own fields, so a response that is not
  // captured has exactly the shape and write path it had before the feature existed.
  captureBody(maxBytes: number): void {
    const capture = new BodyCapture(maxBytes);
    captures.set(this, capture);
    tapWrites(this, (chunk) => capture.add(chunk));
  }

  capturedBody(): CapturedBody | undefined {
    return captures.get(this)?.result();
  }

  private count(chunk: unknown): void {
    const size = sizeOf(chunk);
    if (size > 0 && this.firstByte === undefined) this.firstByte = Date.now();
    this.bodyBytes += size;
  }

  // biome-ignore lint/suspicious/noExplicitAny: the overloads of ServerResponse#write, passed through
  override write(chunk: any, ...rest: any[]): boolean {
    this.count(chunk);
    return (super.write as Write)(chunk, ...rest);
  }

  // biome-ignore lint/suspicious/noExplicitAny: the overloads of ServerResponse#end, passed through
  override end(chunk?: any, ...rest: any[]): this {
    this.count(chunk);
    (super.end as End)(chunk, ...rest);
    return this;
  }
}

/**
 * The meter of a response: a MeteredResponse is its own; any other response (one whose prototype
 * Express replaced, or a plain one) gets its write/end wrapped.
 */
export function meter(res: ServerResponse): ResponseMeter {
  if (res instanceof MeteredResponse) return res;
  let bytes = 0;
  let first: number | undefined;
  let capture: BodyCapture | undefined;
  tapWrites(res, (chunk) => {
    const size = sizeOf(chunk);
    if (size > 0 && first === undefined) first = Date.now();
    bytes += size;
  });
  return {
    bytes: () => bytes,
    firstByteAt: () => first,
    captureBody: (maxBytes) => {
      const started = new BodyCapture(maxBytes);
      capture = started;
      tapWrites(res, (chunk) => started.add(chunk));
    },
    capturedBody: () => capture?.result(),
  };
}

/** Wraps a response's own write/end so `seen` gets every body chunk before it is written. */
function tapWrites(res: ServerResponse, seen: (chunk: unknown) => void): void {
  const write = res.write.bind(res);
  const end = res.end.bind(res);
  res.write = ((chunk: unknown, ...rest: unknown[]) => {
    seen(chunk);
    return (write as Write)(chunk, ...rest);
  }) as ServerResponse['write'];
  res.end = ((chunk?: unknown, ...rest: unknown[]) => {
    seen(chunk);
    (end as End)(chunk, ...rest);
    return res;
  }) as ServerResponse['end'];
}
