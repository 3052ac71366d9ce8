import { once } from 'node:events';
import type { Response } from 'express';
import type { Dispatcher } from 'undici';
import type { Logger } from '../log';
import type { IRError } from './formats/ir';
import { type ApiFamily, apiError, errorBody, sendError } from './http-errors';
import type { ModelRoute } from './routing/registry';
import { callUpstream, describeNetworkError, readCapped } from './upstream/http';

export interface ProxyDeps {
  logger: Logger;
  /** Every upstream call in flight, so shutdown can abort what does not finish in time. */
  inflight: Set<AbortController>;
}

const FORWARDED_RESPONSE_HEADERS = ['content-type', 'x-request-id', 'retry-after'];

/**
 * Same format on both sides: the body goes upstream with only the model rewritten, and the answer
 * (JSON or SSE) is relayed chunk by chunk without being parsed.
 */
export async function forwardPassthrough(
  res: Response,
  deps: ProxyDeps,
  call: { family: ApiFamily; body: Record<string, unknown>; route: ModelRoute; stream: boolean },
): Promise<void> {
  const { route } = call;
  const controller = new AbortController();
  deps.inflight.add(controller);
  const onClose = () => {
    if (!res.writableFinished) controller.abort(new Error('client disconnected'));
  };
  res.on('close', onClose);
  try {
    const target = route.descriptor.target(route.provider, {
      model: route.upstreamModel,
      stream: call.stream,
    });
    const body = JSON.stringify({ ...call.body, model: route.upstreamModel });
    let upstream: Dispatcher.ResponseData;
    try {
      upstream = await callUpstream({
        url: target.url,
        headers: target.headers,
        body,
        signal: controller.signal,
      });
    } catch (error) {
      if (controller.signal.aborted) return;
      const reason = describeNetworkError(error);
      deps.logger.warn('upstream unreachable', { provider: route.provider.name, reason });
      sendError(
        res,
        call.family,
        apiError(502, `Upstream ${route.provider.name} is unreachable (${reason})`),
      );
      return;
    }
    if (upstream.statusCode >= 400) {
      const text = await readCapped(upstream.body, 64 * 1024).catch(() => '');
      sendError(res, call.family, upstreamError(upstream.statusCode, text, upstream.headers['retry-after']));
      return;
    }
    res.status(upstream.statusCode);
    for (const name of FORWARDED_RESPONSE_HEADERS) {
      const value = upstream.headers[name];
      if (typeof value === 'string') res.setHeader(name, value);
    }
    if (call.stream) {
      res.setHeader('cache-control', 'no-cache');
      res.flushHeaders();
    }
    await relay(upstream.body, res, call.family, call.stream, controller.signal);
  } finally {
    deps.inflight.delete(controller);
    res.off('close', onClose);
  }
}

async function relay(
  body: Dispatcher.ResponseData['body'],
  res: Response,
  family: ApiFamily,
  stream: boolean,
  signal: AbortSignal,
): Promise<void> {
  try {
    for await (const chunk of body) {
      if (!res.write(chunk)) await once(res, 'drain', { signal });
    }
    res.end();
  } catch (error) {
    if (signal.aborted) return;
    if (stream) {
      const failure = apiError(502, `Upstream stream broke: ${describeNetworkError(error)}`);
      res.end(`data: ${JSON.stringify(errorBody(family, failure))}\n\n`);
    } else {
      res.destroy();
    }
  }
}

/** An upstream error body (JSON in any of the known shapes, or plain text) as an IR error. */
export function upstreamError(status: number, text: string, retryAfterHeader?: string | string[]): IRError {
  let message = text.trim().slice(0, 2_000);
  let code: string | undefined;
  try {
    const parsed = JSON.parse(text) as { error?: unknown; message?: unknown };
    const inner = parsed.error;
    if (typeof inner === 'string') message = inner;
    else if (inner && typeof inner === 'object') {
      const err = inner as { message?: unknown; code?: unknown };
      if (typeof err.message === 'string') message = err.message;
      if (typeof err.code === 'string') code = err.code;
    } else if (typeof parsed.message === 'string') message = parsed.message;
  } catch {
    // not JSON: keep the text
  }
  if (!message) message = `Upstream answered HTTP ${status} with an empty body`;
  const retryAfter = parseRetryAfter(typeof retryAfterHeader === 'string' ? retryAfterHeader : undefined);
  return apiError(status, message, {
    ...(code ? { code } : {}),
    ...(retryAfter !== undefined ? { retryAfter } : {}),
  });
}

/** Retry-After in seconds, from either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}
