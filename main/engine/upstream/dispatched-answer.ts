// An upstream answer read straight from undici's dispatch handler. undici's `request` wraps every
// answer in an AsyncResource, a Node Readable and an abort listener of its own; on a chat request
// those cost about a fifth of a JSON pipe's CPU (docs/PERFORMANCE.md, fix 21). The proxy reads an
// answer in three ways only — whole, chunk by chunk, or not at all — so one object is both the
// handler undici calls and the body the proxy reads, with backpressure through the dispatch
// controller.
import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';

/** Chunks held for a reader that has not caught up, before the socket stops being read. */
const HIGH_WATER_BYTES = 64 * 1024;
/** What `dump()` reads and throws away before it drops the connection instead. */
const DUMP_LIMIT_BYTES = 128 * 1024;

export interface UpstreamAnswer {
  statusCode: number;
  headers: IncomingHttpHeaders;
  body: AnswerBody;
}

/** The body of an upstream answer: read once, whole or as an async iterable of chunks. */
export interface AnswerBody extends AsyncIterable<Buffer> {
  /** The whole body; rejects when it breaks off, is cut off, or passes `maxBytes`. */
  whole(maxBytes: number): Promise<Buffer>;
  /** Stops reading and drops the connection; readers get `error`, or AnswerAbandoned. */
  destroy(error?: Error): void;
  /** Reads the rest and throws it away (the connection is kept when the rest is small). */
  dump(): Promise<void>;
}

/** Read from an answer the proxy itself stopped reading. */
export class AnswerAbandoned extends Error {
  constructor() {
    super('the answer was abandoned');
    this.name = 'AnswerAbandoned';
  }
}

export class AnswerTooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`the answer is larger than ${Math.round(maxBytes / 1024 / 1024)} MB`);
    this.name = 'AnswerTooLarge';
  }
}

/**
 * A body read whole through its chunks, for bodies that wrap another (decoded, read ahead): over
 * `maxBytes` the body is destroyed and the read fails with AnswerTooLarge.
 */
export async function wholeOfChunks(body: AnswerBody, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > maxBytes) {
      const tooLarge = new AnswerTooLarge(maxBytes);
      body.destroy(tooLarge);
      throw tooLarge;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

interface Waiter {
  resolve(value: IteratorResult<Buffer>): void;
  reject(error: Error): void;
}

interface Collector {
  maxBytes: number;
  resolve(body: Buffer): void;
  reject(error: Error): void;
}

/**
 * Both sides of one dispatched request: undici calls the `on…` methods; the proxy reads the answer.
 * No closures, one object per request (see attempt.ts on why that matters on this path).
 */
class DispatchedAnswer implements Dispatcher.DispatchHandler, AnswerBody, AsyncIterator<Buffer> {
  private controller: Dispatcher.DispatchController | undefined;
  private chunks: Buffer[] = [];
  private held = 0;
  private ended = false;
  private failure: Error | undefined;
  private waiter: Waiter | undefined;
  private collector: Collector | undefined;
  private dumping: { resolve(): void; read: number } | undefined;

  constructor(
    private readonly signal: AbortSignal | undefined,
    private resolveAnswer: ((answer: UpstreamAnswer) => void) | undefined,
    private rejectAnswer: ((error: Error) => void) | undefined,
    private readonly adapt: AnswerAdapter | undefined,
  ) {
    signal?.addEventListener('abort', this);
  }

  // --- undici's side ---

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.failure) controller.abort(this.failure); // the client left while the request was queued
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: IncomingHttpHeaders,
  ) {
    if (statusCode < 200) return; // 100 Continue and other interim answers
    const resolve = this.resolveAnswer;
    this.resolveAnswer = undefined;
    this.rejectAnswer = undefined;
    const answer: UpstreamAnswer = { statusCode, headers, body: this };
    resolve?.(this.adapt ? this.adapt(answer) : answer);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.failure) return;
    if (this.dumping) {
      this.dumping.read += chunk.length;
      if (this.dumping.read > DUMP_LIMIT_BYTES) this.destroy();
      return;
    }
    const waiter = this.waiter;
    if (waiter) {
      this.waiter = undefined;
      waiter.resolve({ value: chunk, done: false });
      return;
    }
    this.chunks.push(chunk);
    this.held += chunk.length;
    const collector = this.collector;
    if (collector) {
      if (this.held > collector.maxBytes) this.destroy(new AnswerTooLarge(collector.maxBytes));
    } else if (this.held > HIGH_WATER_BYTES) controller.pause();
  }

  onResponseEnd(): void {
    this.ended = true;
    this.settle(undefined);
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.fail(error);
  }

  /** The client's abort signal fired. */
  handleEvent(): void {
    const reason = this.signal?.reason;
    this.destroy(
      reason instanceof Error ? reason : new DOMException('This operation was aborted', 'AbortError'),
    );
  }

  // --- the proxy's side ---

  whole(maxBytes: number): Promise<Buffer> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.held > maxBytes) {
      this.destroy(new AnswerTooLarge(maxBytes));
      return Promise.reject(this.failure);
    }
    if (this.ended) return Promise.resolve(this.takeAll());
    this.controller?.resume();
    return new Promise((resolve, reject) => {
      this.collector = { maxBytes, resolve, reject };
    });
  }

  [Symbol.asyncIterator](): AsyncIterator<Buffer> {
    return this;
  }

  next(): Promise<IteratorResult<Buffer>> {
    const chunk = this.chunks.shift();
    if (chunk) {
      this.held -= chunk.length;
      if (this.held <= HIGH_WATER_BYTES / 2) this.controller?.resume();
      return Promise.resolve({ value: chunk, done: false });
    }
    if (this.failure) return Promise.reject(this.failure);
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    this.controller?.resume();
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  /** A reader that breaks out of its loop is done with the answer. */
  return(): Promise<IteratorResult<Buffer>> {
    this.destroy();
    return Promise.resolve({ value: undefined, done: true });
  }

  destroy(error?: Error): void {
    if (this.ended || this.failure) return;
    const reason = error ?? new AnswerAbandoned();
    this.fail(reason);
    this.controller?.abort(reason);
  }

  dump(): Promise<void> {
    this.chunks = [];
    this.held = 0;
    if (this.ended || this.failure) return Promise.resolve();
    this.controller?.resume();
    return new Promise((resolve) => {
      this.dumping = { resolve, read: 0 };
    });
  }

  // --- both ---

  private fail(error: Error): void {
    if (this.ended || this.failure) return;
    this.failure = error;
    // Like a destroyed stream: what was held is dropped, the reader hears of the failure at once.
    this.chunks = [];
    this.held = 0;
    const reject = this.rejectAnswer;
    this.resolveAnswer = undefined;
    this.rejectAnswer = undefined;
    reject?.(error);
    this.settle(error);
  }

  /** Ends whatever read is waiting: with `failure`, or as a finished answer. */
  private settle(failure: Error | undefined): void {
    this.signal?.removeEventListener('abort', this);
    const { dumping, collector, waiter } = this;
    this.dumping = undefined;
    this.collector = undefined;
    this.waiter = undefined;
    dumping?.resolve();
    if (failure) {
      collector?.reject(failure);
      waiter?.reject(failure);
    } else {
      collector?.resolve(this.takeAll());
      waiter?.resolve({ value: undefined, done: true });
    }
  }

  private takeAll(): Buffer {
    const { chunks, held } = this;
    this.chunks = [];
    this.held = 0;
    return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, held);
  }
}

/** Turns the answer as it arrived into the one readers get (content-decoding.ts's decodedAnswer). */
export type AnswerAdapter = (answer: UpstreamAnswer) => UpstreamAnswer;

/**
 * Sends one request through `dispatcher`; resolves once the answer's status and headers are in,
 * through `adapt` when given (in the same turn: no promise step of its own).
 */
export function dispatchAnswer(
  dispatcher: Dispatcher,
  options: Dispatcher.DispatchOptions,
  signal: AbortSignal | undefined,
  adapt?: AnswerAdapter,
): Promise<UpstreamAnswer> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const answer = new DispatchedAnswer(signal, resolve, reject, adapt);
    try {
      dispatcher.dispatch(options, answer);
    } catch (error) {
      answer.destroy(error as Error);
    }
  });
}
