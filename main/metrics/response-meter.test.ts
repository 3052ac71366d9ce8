import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MeteredResponse, meter, type ResponseMeter } from './response-meter';

let server: Server | undefined;
afterEach(() => server?.close());

/** Serves one request with `respond`, on a server with or without MeteredResponse; the client's body and the meter. */
async function serveOnce(
  metered: boolean,
  respond: (res: ServerResponse) => void,
): Promise<{ body: string; meter: ResponseMeter; ownWrite: boolean }> {
  let measured: ResponseMeter | undefined;
  let ownWrite = false;
  const handler = (_req: IncomingMessage, res: ServerResponse) => {
    measured = meter(res);
    ownWrite = Object.hasOwn(res, 'write') || Object.hasOwn(res, 'end');
    respond(res);
  };
  server = metered ? createServer({ ServerResponse: MeteredResponse }, handler) : createServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const answer = await fetch(`http://127.0.0.1:${port}/`);
  const body = await answer.text();
  if (!measured) throw new Error('the handler did not run');
  return { body, meter: measured, ownWrite };
}

const respond = (res: ServerResponse) => {
  res.setHeader('content-type', 'text/plain');
  res.write('héllo ');
  res.write(Buffer.from('wörld'), () => undefined);
  res.write('', 'utf8');
  res.end(' ✓', 'utf8');
};

describe('response meters', () => {
  for (const metered of [true, false]) {
    it(`count body bytes and note the first byte (${metered ? 'MeteredResponse' : 'wrapped write/end'})`, async () => {
      const before = Date.now();
      const { body, meter: measured, ownWrite } = await serveOnce(metered, respond);
      expect(body).toBe('héllo wörld ✓');
      expect(measured.bytes()).toBe(Buffer.byteLength(body));
      expect(measured.firstByteAt()).toBeGreaterThanOrEqual(before);
      // The metered server's responses keep their shape: nothing is added to the instance.
      expect(ownWrite).toBe(!metered);
    });
  }

  it('leave the first byte unset for a response without a body', async () => {
    const { body, meter: measured } = await serveOnce(true, (res) => {
      res.statusCode = 204;
      res.end();
    });
    expect(body).toBe('');
    expect(measured.bytes()).toBe(0);
    expect(measured.firstByteAt()).toBeUndefined();
  });
});
