import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHttpBridge } from './http';
import { nextDelay } from './sse';
import type { ConnectionState } from './types';

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function sseResponse(chunks: string[]): Response {
  const encoder = new TextEncoder();
  return new Response(
    new ReadableStream({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      },
    }),
    { status: 200, headers: { 'content-type': 'text/event-stream' } },
  );
}

const closers: Array<() => void> = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

describe('the HTTP bridge', () => {
  it('posts each call to /rpc/{method} with the bearer secret', async () => {
    const fetch = vi.fn(async (_url: string, _init?: RequestInit) => json(200, { removed: true }));
    const bridge = createHttpBridge({ baseUrl: 'http://127.0.0.1:9/', secret: 's', fetch: fetch as never });
    closers.push(bridge.close);
    expect(await bridge.removeAccount({ id: 'a1' })).toEqual({ removed: true });
    const [url, init] = fetch.mock.calls[0] as [string, RequestInit];
    expect(url).toBe('http://127.0.0.1:9/v0/management/rpc/removeAccount');
    expect(init.method).toBe('POST');
    expect((init.headers as Record<string, string>).authorization).toBe('Bearer s');
    expect(init.body).toBe('{"id":"a1"}');
  });

  it('turns envelopes, a wrong secret and a switched-off API into errors that say what to do', async () => {
    const answers = [
      json(500, { error: { message: 'disk full', code: 'failed' } }),
      json(401, { error: { message: 'Management API needs Authorization' } }),
      json(404, { error: { message: 'Management API is off: set management_secret in the config.' } }),
    ];
    const fetch = vi.fn(async () => answers.shift() as Response);
    const bridge = createHttpBridge({ baseUrl: 'http://x', secret: 's', fetch: fetch as never });
    await expect(bridge.getState({})).rejects.toMatchObject({ message: 'disk full', code: 'failed' });
    await expect(bridge.getState({})).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(bridge.getState({})).rejects.toMatchObject({
      code: 'management_off',
      message: expect.stringContaining('management_secret'),
    });
  });

  it('streams events with the secret in a header and parses split chunks', async () => {
    const fetch = vi.fn(async (url: string, init?: RequestInit) => {
      expect(url).toBe('http://x/v0/management/events');
      expect(new Headers(init?.headers).get('authorization')).toBe('Bearer s');
      return sseResponse([': connected\n\n', 'event: requestLogged\ndata: {"id":', '"r1"}\n\n']);
    });
    const bridge = createHttpBridge({ baseUrl: 'http://x', secret: 's', fetch: fetch as never });
    closers.push(bridge.close);
    const states: ConnectionState['kind'][] = [];
    bridge.onConnection((s) => states.push(s.kind));
    const got = await new Promise((resolve) => bridge.on('requestLogged', resolve));
    expect(got).toEqual({ id: 'r1' });
    expect(states).toContain('open');
  });

  it('stops retrying when the secret is refused', async () => {
    const fetch = vi.fn(async () => json(401, {}));
    const bridge = createHttpBridge({ baseUrl: 'http://x', secret: 's', fetch: fetch as never });
    closers.push(bridge.close);
    const state = await new Promise<ConnectionState>((resolve) => {
      bridge.onConnection((s) => s.kind === 'unauthorized' && resolve(s));
      bridge.on('stateChanged', () => undefined);
    });
    expect(state.kind).toBe('unauthorized');
    await new Promise((r) => setTimeout(r, 50));
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('backs off by doubling up to a cap', () => {
    const fixed = () => 0.5;
    expect(nextDelay(undefined, 500, 15_000, fixed)).toBe(500);
    expect(nextDelay(500, 500, 15_000, fixed)).toBe(1000);
    expect(nextDelay(12_000, 500, 15_000, fixed)).toBe(15_000);
  });
});
