import { Agent, type Dispatcher } from 'undici';

/** One keep-alive pool for every upstream; undici keeps a connection pool per origin inside it. */
function createAgent(): Agent {
  return new Agent({
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 600_000,
    connections: 256,
    headersTimeout: 300_000,
    bodyTimeout: 300_000,
  });
}

let agent = createAgent();

export interface UpstreamCall {
  url: URL;
  method?: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string | Buffer;
  signal: AbortSignal;
}

export function callUpstream(call: UpstreamCall): Promise<Dispatcher.ResponseData> {
  return agent.request({
    origin: call.url.origin,
    path: `${call.url.pathname}${call.url.search}`,
    method: call.method ?? 'POST',
    headers: call.headers,
    body: call.body,
    signal: call.signal,
  });
}

export async function readCapped(body: Dispatcher.ResponseData['body'], maxBytes = 1 << 20): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBytes) {
      chunks.push(buffer.subarray(0, Math.max(0, buffer.length - (size - maxBytes))));
      body.destroy();
      break;
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Closes pooled connections (shutdown); later calls get a fresh pool. */
export function closeUpstreams(): Promise<void> {
  const old = agent;
  agent = createAgent();
  return old.close();
}

/** A short, secret-free reason for a failed upstream call (connection refused, reset, timeout...). */
export function describeNetworkError(error: unknown): string {
  const err = error as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = err.code ?? err.cause?.code;
  const message = err.cause?.message ?? err.message ?? String(error);
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}
