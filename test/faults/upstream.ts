import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo, createServer as createTcpServer, type Socket } from 'node:net';
import type { UpstreamFormat } from './wire';

/** One request as a fault upstream saw it. */
export interface SeenRequest {
  path: string;
  body: Record<string, unknown>;
  /** Whether the proxy asked for a stream (body flag, or Gemini's streaming method). */
  stream: boolean;
  receivedAt: number;
  /** When the proxy closed the connection before the answer ended (an aborted request). */
  abortedAt?: number;
}

export interface FaultContext {
  request: SeenRequest;
  req: IncomingMessage;
  res: ServerResponse;
  /** Aborted when the proxy goes away. */
  signal: AbortSignal;
  /** Writes one piece and, when the socket pushes back, waits for drain (counted in blockedWrites). */
  write(chunk: string | Buffer): Promise<void>;
}

export type FaultHandler = (ctx: FaultContext) => Promise<void> | void;

export interface FaultUpstream {
  url: string;
  requests: SeenRequest[];
  /** Writes that returned false: the reader on the other side applied backpressure. */
  readonly blockedWrites: number;
  readonly bytesWritten: number;
  /** Answers every following request with this handler. */
  use(handler: FaultHandler): void;
  close(): Promise<void>;
}

export const pause = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/**
 * A loopback upstream whose every answer is scripted by the test: it can stall, reset, truncate,
 * flood, and it records what the proxy did to it (aborts, backpressure).
 */
export async function startFaultUpstream(initial: FaultHandler): Promise<FaultUpstream> {
  let handler = initial;
  const requests: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  let blockedWrites = 0;
  let bytesWritten = 0;
  const server = createServer(async (req, res) => {
    // Health checks after a cooldown ends are not part of any scenario.
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":[],"models":[]}');
      return;
    }
    const controller = new AbortController();
    const body = await readJson(req);
    const url = new URL(req.url ?? '/', 'http://upstream');
    const request: SeenRequest = {
      path: url.pathname,
      body,
      stream: body.stream === true || url.pathname.endsWith(':streamGenerateContent'),
      receivedAt: Date.now(),
    };
    requests.push(request);
    res.on('close', () => {
      if (!res.writableFinished) {
        request.abortedAt = Date.now();
        controller.abort();
      }
    });
    const write = async (chunk: string | Buffer) => {
      if (controller.signal.aborted) return;
      bytesWritten += chunk.length;
      if (!res.write(chunk)) {
        blockedWrites++;
        // One listener pair per wait, removed when either fires (a race of once() calls would leak the loser).
        await new Promise<void>((resolve) => {
          const done = () => {
            res.off('drain', done);
            res.off('close', done);
            resolve();
          };
          res.once('drain', done);
          res.once('close', done);
        });
      }
    };
    try {
      await handler({ request, req, res, signal: controller.signal, write });
    } catch (error) {
      if (!res.headersSent) res.writeHead(500).end(`fault upstream failed: ${(error as Error).message}`);
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    get blockedWrites() {
      return blockedWrites;
    },
    get bytesWritten() {
      return bytesWritten;
    },
    use(next) {
      handler = next;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port nothing listens on: connecting to it is refused. */
export async function refusedUrl(): Promise<string> {
  const server = createTcpServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** An upstream that accepts the connection, reads the request, and resets it before any header. */
export async function startResettingUpstream(): Promise<{
  url: string;
  resets: number;
  close(): Promise<void>;
}> {
  let resets = 0;
  const server = createTcpServer((socket) => {
    socket.once('data', () => {
      resets++;
      socket.resetAndDestroy();
    });
    socket.on('error', () => undefined);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get resets() {
      return resets;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// ---- answers in each upstream's wire format ----

/** A complete non-stream answer carrying `text`. */
export function answerBody(format: UpstreamFormat, text: string): Record<string, unknown> {
  switch (format) {
    case 'openai-chat':
      return {
        id: 'chatcmpl-fault',
        object: 'chat.completion',
        created: 1,
        model: 'up',
        choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 },
      };
    case 'claude':
      return {
        id: 'msg_fault',
        type: 'message',
        role: 'assistant',
        model: 'up',
        content: [{ type: 'text', text }],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage: { input_tokens: 3, output_tokens: 5 },
      };
    case 'gemini':
      return {
        candidates: [{ content: { role: 'model', parts: [{ text }] }, finishReason: 'STOP', index: 0 }],
        usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 5, totalTokenCount: 8 },
        modelVersion: 'up',
      };
  }
}

const sse = (data: unknown, event?: string) =>
  `${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;

/**
 * A stream carrying `pieces` as text deltas: `head` opens it, `body` holds one event per piece,
 * `tail` finishes it (finish reason, usage, terminator). Leaving out `tail` truncates the stream.
 */
export function answerStream(
  format: UpstreamFormat,
  pieces: string[],
): { head: string[]; body: string[]; tail: string[] } {
  switch (format) {
    case 'openai-chat': {
      const chunk = (delta: unknown, finish: string | null = null) =>
        sse({
          id: 'chatcmpl-fault',
          object: 'chat.completion.chunk',
          created: 1,
          model: 'up',
          choices: [{ index: 0, delta, finish_reason: finish }],
        });
      return {
        head: [chunk({ role: 'assistant', content: '' })],
        body: pieces.map((content) => chunk({ content })),
        tail: [chunk({}, 'stop'), sse('[DONE]')],
      };
    }
    case 'claude':
      return {
        head: [
          sse(
            {
              type: 'message_start',
              message: {
                id: 'msg_fault',
                type: 'message',
                role: 'assistant',
                model: 'up',
                content: [],
                stop_reason: null,
                usage: { input_tokens: 3, output_tokens: 0 },
              },
            },
            'message_start',
          ),
          sse(
            { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
            'content_block_start',
          ),
        ],
        body: pieces.map((text) =>
          sse(
            { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } },
            'content_block_delta',
          ),
        ),
        tail: [
          sse({ type: 'content_block_stop', index: 0 }, 'content_block_stop'),
          sse(
            { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 5 } },
            'message_delta',
          ),
          sse({ type: 'message_stop' }, 'message_stop'),
        ],
      };
    case 'gemini': {
      const chunk = (parts: unknown[], finish?: string) =>
        `data: ${JSON.stringify({
          candidates: [
            { content: { role: 'model', parts }, index: 0, ...(finish ? { finishReason: finish } : {}) },
          ],
          ...(finish
            ? { usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 5, totalTokenCount: 8 } }
            : {}),
          modelVersion: 'up',
        })}\r\n\r\n`;
      return {
        head: [],
        body: pieces.map((text) => chunk([{ text }])),
        tail: [chunk([{ text: '' }], 'STOP')],
      };
    }
  }
}

/** The full answer, as JSON or as a stream, whichever the proxy asked for. */
export function answer(format: UpstreamFormat, pieces: string[]): FaultHandler {
  return async ({ request, res, write }) => {
    if (!request.stream) {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify(answerBody(format, pieces.join(''))));
      return;
    }
    const { head, body, tail } = answerStream(format, pieces);
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    for (const event of [...head, ...body, ...tail]) await write(event);
    res.end();
  };
}

/** The provider type serving each upstream wire format with an API key. */
export const PROVIDER_TYPE: Record<UpstreamFormat, string> = {
  'openai-chat': 'openai',
  claude: 'claude',
  gemini: 'gemini',
};

/** One `providers:` entry in flow style. */
export function providerEntry(opts: {
  name: string;
  format: UpstreamFormat;
  url: string;
  model: string;
  alias: string;
  extra?: string;
}): string {
  return `  - {name: ${opts.name}, type: ${PROVIDER_TYPE[opts.format]}, api_key: k-${opts.name}, endpoint: "${opts.url}", models: [{name: ${opts.model}, alias: ${opts.alias}}]${opts.extra ? `, ${opts.extra}` : ''}}\n`;
}
