import { once } from 'node:events';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RelayResponse } from './relay-response';
import { startStream, write } from './respond';

let server: Server | undefined;
afterEach(async () => {
  server?.close();
  server = undefined;
});

/** Serves one SSE response written by `relay`, and returns the raw chunked body's frames. */
async function chunkFrames(
  ServerResponse: typeof RelayResponse | undefined,
  relay: (res: ServerResponse) => Promise<void>,
): Promise<string[]> {
  server = createServer(ServerResponse ? { ServerResponse } : {}, (_req, res) => {
    void relay(res);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  const socket = connect(port, '127.0.0.1');
  socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
  let raw = '';
  for await (const chunk of socket) raw += chunk;
  let body = raw.slice(raw.indexOf('\r\n\r\n') + 4);
  const frames: string[] = [];
  for (;;) {
    const lineEnd = body.indexOf('\r\n');
    const size = Number.parseInt(body.slice(0, lineEnd), 16);
    if (size === 0) break;
    frames.push(body.slice(lineEnd + 2, lineEnd + 2 + size));
    body = body.slice(lineEnd + 2 + size + 2);
  }
  return frames;
}

const EVENTS = Array.from({ length: 20 }, (_, i) => `data: {"n":${i}}\n\n`);

async function relayInTwoTurns(res: ServerResponse): Promise<void> {
  const signal = new AbortController().signal;
  startStream(res, 'openai-chat', true);
  for (const event of EVENTS.slice(0, 10)) write(res, event, signal);
  await new Promise((resolve) => setTimeout(resolve, 20));
  for (const event of EVENTS.slice(10)) write(res, event, signal);
  res.end();
}

describe('write', () => {
  it("joins the text written in one turn into one chunk on the engine's responses, in order", async () => {
    const frames = await chunkFrames(RelayResponse, relayInTwoTurns);
    expect(frames).toEqual([EVENTS.slice(0, 10).join(''), EVENTS.slice(10).join('')]);
  });

  it("joins a passthrough's bytes of one turn the same way, and text mixed with them, in order", async () => {
    const bytes = EVENTS.map((event) => Buffer.from(event));
    const frames = await chunkFrames(RelayResponse, async (res) => {
      const signal = new AbortController().signal;
      startStream(res, 'openai-chat', true);
      for (const piece of bytes.slice(0, 10)) write(res, piece, signal);
      await new Promise((resolve) => setTimeout(resolve, 20));
      write(res, bytes[10] as Buffer, signal);
      write(res, 'data: {"text":"hello"}\n\n', signal);
      for (const piece of bytes.slice(11)) write(res, piece, signal);
      res.end();
    });
    expect(frames).toEqual([
      EVENTS.slice(0, 10).join(''),
      [EVENTS[10], 'data: {"text":"hello"}\n\n', ...EVENTS.slice(11)].join(''),
    ]);
  });

  it('writes each piece as it comes on any other response (an Express one), in order', async () => {
    const frames = await chunkFrames(undefined, relayInTwoTurns);
    expect(frames.join('')).toBe(EVENTS.join(''));
    expect(frames).toHaveLength(20);
  });
});
