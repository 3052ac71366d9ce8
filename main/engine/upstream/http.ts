import type { Agent, Dispatcher } from 'undici';
import type { Lazy } from '../../lazy';
import { utf8Text } from '../utf8';
import { decodedAnswer } from './content-decoding';
import { type AnswerBody, dispatchAnswer, type UpstreamAnswer } from './dispatched-answer';
import { undici, undiciAgentOnly } from './undici';

export interface Timeouts {
  connectMs: number;
  /** Until the response headers arrive. */
  firstByteMs: number;
  /** Between two chunks of the body. */
  idleMs: number;
  /** The whole attempt, body included. */
  totalMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = {
  connectMs: 10_000,
  firstByteMs: 300_000,
  idleMs: 120_000,
  totalMs: 30 * 60_000,
};

/**
 * Keep-alive pools, one per (egress proxy, connect timeout); undici pools per origin inside each.
 * Direct connections are the common case and share one agent.
 */
const dispatchers = new Map<string, Dispatcher>();

type UndiciModule = typeof import('undici');
/** The Agent alone for direct calls; the whole module for egress proxies (see ./undici). */
type DispatcherClasses = Pick<UndiciModule, 'Agent'> | UndiciModule;

function dispatcherFor(
  classes: DispatcherClasses,
  proxyUrl: string | undefined,
  connectMs: number,
): Dispatcher {
  const key = `${proxyUrl ?? ''}\u0000${connectMs}`;
  let dispatcher = dispatchers.get(key);
  if (dispatcher) return dispatcher;
  const { Agent } = classes;
  const pool: Agent.Options = {
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 600_000,
    connections: 256,
    connect: { timeout: connectMs },
  };
  if (!proxyUrl) dispatcher = new Agent(pool);
  else if (!('ProxyAgent' in classes)) throw new Error('An egress proxy needs the whole undici module.');
  else if (proxyUrl.startsWith('socks5://') || proxyUrl.startsWith('socks5h://')) {
    const { Socks5ProxyAgent } = classes;
    // The SOCKS agent takes pool options but connects through the proxy itself.
    const { connect: _direct, ...rest } = pool;
    dispatcher = new Socks5ProxyAgent(proxyUrl, rest);
  } else dispatcher = new classes.ProxyAgent({ ...pool, uri: proxyUrl });
  dispatchers.set(key, dispatcher);
  return dispatcher;
}

/** The egress proxy a provider's calls take: its own proxy_url, else the config's. */
export function egressProxy(provider: { proxy_url?: string | undefined }, configProxy: string | undefined) {
  return provider.proxy_url ?? configProxy;
}

export interface UpstreamCall {
  url: URL | string;
  method?: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: string | Buffer;
  signal: AbortSignal;
  timeouts?: Timeouts;
  proxyUrl?: string;
}

// Split once per href: most calls go to one of a few endpoints, given as the same string each time.
const splitHrefs = new Map<string, { origin: string; path: string }>();
const MAX_SPLIT_HREFS = 256;

function originAndPath(url: URL | string): { origin: string; path: string } {
  if (typeof url !== 'string') return { origin: url.origin, path: `${url.pathname}${url.search}` };
  let split = splitHrefs.get(url);
  if (!split) {
    split = originAndPath(new URL(url));
    if (splitHrefs.size >= MAX_SPLIT_HREFS) splitHrefs.clear();
    splitHrefs.set(url, split);
  }
  return split;
}

export function callUpstream(call: UpstreamCall): Promise<UpstreamAnswer> {
  const timeouts = call.timeouts ?? DEFAULT_TIMEOUTS;
  const { origin, path } = originAndPath(call.url);
  const options: Dispatcher.DispatchOptions = {
    origin,
    path,
    method: call.method ?? 'POST',
    headers: call.headers,
    body: call.body ?? null,
    headersTimeout: timeouts.firstByteMs,
    bodyTimeout: timeouts.idleMs,
  };
  const classes: Lazy<DispatcherClasses> = call.proxyUrl ? undici : undiciAgentOnly;
  const loaded = classes.value;
  if (loaded)
    return dispatchAnswer(
      dispatcherFor(loaded, call.proxyUrl, timeouts.connectMs),
      options,
      call.signal,
      decodedAnswer,
    );
  return classes
    .get()
    .then((module) =>
      dispatchAnswer(
        dispatcherFor(module, call.proxyUrl, timeouts.connectMs),
        options,
        call.signal,
        decodedAnswer,
      ),
    );
}

/**
 * A fetch that goes out through an egress proxy (http, https or socks5), for code that takes a
 * fetch (the OAuth library); undefined without a proxy, where the global fetch serves.
 */
export function proxiedFetch(proxyUrl: string | undefined): typeof fetch | undefined {
  if (!proxyUrl) return undefined;
  return async (input, init) => {
    const module = await undici.get();
    const dispatcher = dispatcherFor(module, proxyUrl, DEFAULT_TIMEOUTS.connectMs);
    const url = input instanceof Request ? input.url : input;
    // undici's Response is not the global class; the OAuth library accepts either.
    return (await module.fetch(url, { ...(init as object), dispatcher })) as unknown as Response;
  };
}

/**
 * undici's `request` for calls beside the proxied traffic (token exchanges, sign-in APIs, project
 * lists): through the egress proxy when there is one, else straight out.
 */
export async function requestVia(
  proxyUrl: string | undefined,
  url: string | URL,
  options: Omit<Dispatcher.RequestOptions, 'origin' | 'path'> & { method: Dispatcher.HttpMethod },
): Promise<Dispatcher.ResponseData> {
  const module = await undici.get();
  if (!proxyUrl) return module.request(url, options);
  return module.request(url, {
    ...options,
    dispatcher: dispatcherFor(module, proxyUrl, DEFAULT_TIMEOUTS.connectMs),
  });
}

export async function readCapped(body: AnswerBody, maxBytes = 1 << 20): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const buffer of body) {
    size += buffer.length;
    if (size > maxBytes) {
      chunks.push(buffer.subarray(0, Math.max(0, buffer.length - (size - maxBytes))));
      body.destroy();
      break;
    }
    chunks.push(buffer);
  }
  return utf8Text(Buffer.concat(chunks));
}

/** Closes pooled connections (shutdown); later calls get fresh pools. */
export async function closeUpstreams(): Promise<void> {
  const all = [...dispatchers.values()];
  dispatchers.clear();
  await Promise.all(all.map((d) => d.close().catch(() => undefined)));
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

/** Whether a failed call timed out (as opposed to being refused or reset). */
export function isTimeout(error: unknown): boolean {
  const err = error as { code?: string; name?: string; cause?: { code?: string; name?: string } };
  return (
    TIMEOUT_CODES.has(err.code ?? '') ||
    TIMEOUT_CODES.has(err.cause?.code ?? '') ||
    err.name === 'TimeoutError' ||
    err.cause?.name === 'TimeoutError'
  );
}

/** A short, secret-free reason for a failed upstream call (connection refused, reset, timeout...). */
export function describeNetworkError(error: unknown): string {
  const err = error as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = err.code ?? err.cause?.code;
  if (code === 'UND_ERR_HEADERS_TIMEOUT') return 'no response before the first-byte timeout';
  if (code === 'UND_ERR_BODY_TIMEOUT') return 'the stream went idle longer than the idle timeout';
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return 'connect timeout';
  const message = err.cause?.message ?? err.message ?? String(error);
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}
