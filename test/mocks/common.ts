import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  rawBody: string;
}

export interface ScriptedReply {
  status: number;
  headers?: Record<string, string>;
  /** JSON value, or a raw string sent as-is. */
  body?: unknown;
  /** Raw SSE event texts, written one by one. */
  sse?: string[];
  /** Pause between SSE events. */
  delayMs?: number;
  /** Wait this long before sending headers (a stalled upstream). */
  hangMs?: number;
  /** Destroy the socket after this many SSE events (a reset mid-stream). */
  resetAfterChunks?: number;
}

export interface MockUpstream {
  url: string;
  requests: RecordedRequest[];
  enqueue(reply: ScriptedReply): void;
  /** Requests whose client connection closed before the mock finished answering. */
  readonly aborted: number;
  close(): Promise<void>;
}

export type Handler = (
  request: RecordedRequest,
  res: ServerResponse,
  signal: AbortSignal,
) => Promise<void> | void;

const pause = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/** Writes events with a gap between them so clients see separate chunks; stops when the client leaves. */
export async function writeEvents(
  res: ServerResponse,
  events: string[],
  signal: AbortSignal,
  delayMs = 0,
): Promise<void> {
  for (const event of events) {
    if (signal.aborted) return;
    res.write(event);
    await (delayMs > 0 ? pause(delayMs, signal) : new Promise((resolve) => setImmediate(resolve)));
  }
  if (!signal.aborted) res.end();
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function playScript(reply: ScriptedReply, res: ServerResponse, signal: AbortSignal): Promise<void> {
  if (reply.hangMs) await pause(reply.hangMs, signal);
  if (signal.aborted) return;
  if (reply.sse) {
    res.writeHead(reply.status, { 'content-type': 'text/event-stream', ...reply.headers });
    const events =
      reply.resetAfterChunks !== undefined ? reply.sse.slice(0, reply.resetAfterChunks) : reply.sse;
    for (const event of events) {
      if (signal.aborted) return;
      res.write(event);
      await (reply.delayMs ? pause(reply.delayMs, signal) : new Promise((resolve) => setImmediate(resolve)));
    }
    if (reply.resetAfterChunks !== undefined) res.socket?.destroy();
    else if (!signal.aborted) res.end();
    return;
  }
  const raw =
    typeof reply.body === 'string' ? reply.body : reply.body === undefined ? '' : JSON.stringify(reply.body);
  res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
  res.end(raw);
}

/** A loopback HTTP server that records requests, plays scripted replies, else runs its handler. */
export async function startMock(handler: Handler): Promise<MockUpstream> {
  const requests: RecordedRequest[] = [];
  const queue: ScriptedReply[] = [];
  const sockets = new Set<Socket>();
  let aborted = 0;
  const server = createServer(async (req, res) => {
    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) {
        aborted++;
        controller.abort();
      }
    });
    const rawBody = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://mock');
    let body: unknown;
    try {
      body = rawBody ? JSON.parse(rawBody) : undefined;
    } catch {
      body = undefined;
    }
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body,
      rawBody,
    };
    requests.push(recorded);
    const scripted = queue.shift();
    try {
      if (scripted) await playScript(scripted, res, controller.signal);
      else await handler(recorded, res, controller.signal);
    } catch (error) {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `mock failure: ${(error as Error).message}` } }));
      }
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    enqueue: (reply) => queue.push(reply),
    get aborted() {
      return aborted;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export function wordsOf(text: string): string[] {
  return text.split(/(?<=\s)/).filter((w) => w.length > 0);
}

export function countWords(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

export function randomId(): string {
  return Math.random().toString(36).slice(2, 12);
}

/** Splits a string into about `parts` pieces (for argument deltas). */
export function splitInto(text: string, parts: number): string[] {
  const size = Math.max(1, Math.ceil(text.length / parts));
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out.length > 0 ? out : [''];
}

/** What the default behaviour answers, decided the same way for every provider. */
export type Plan =
  | { kind: 'text'; text: string; thinking: boolean }
  | { kind: 'tools'; name: string; calls: Array<Record<string, string>>; thinking: boolean };

export function plan(opts: {
  toolResults: string[] | undefined;
  firstTool: string | undefined;
  lastUserText: string;
  thinking: boolean;
}): Plan {
  if (opts.toolResults)
    return { kind: 'text', text: `Tool result: ${opts.toolResults.join(' | ')}`, thinking: opts.thinking };
  if (opts.firstTool) {
    const calls = /\bparallel\b/.test(opts.lastUserText)
      ? [{ city: 'Paris' }, { city: 'Tokyo' }]
      : [{ city: 'Paris' }];
    return { kind: 'tools', name: opts.firstTool, calls, thinking: opts.thinking };
  }
  return { kind: 'text', text: `Echo: ${opts.lastUserText}`, thinking: opts.thinking };
}

/** Truncates the answer to `limit` words, reporting whether it was cut. */
export function limitWords(text: string, limit: number | undefined): { text: string; truncated: boolean } {
  if (limit === undefined) return { text, truncated: false };
  const words = text.split(' ');
  if (words.length <= limit) return { text, truncated: false };
  return { text: words.slice(0, limit).join(' '), truncated: true };
}
