import type { ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import {
  type Attempt,
  type CallOutcome,
  CredentialError,
  type InboundCall,
  type PipelineDeps,
  type RoutedCall,
} from './call';
import { FormatError, type IRError, type IRRequest } from './formats/ir';
import { codecFor } from './formats/registry';
import { apiError } from './http-errors';
import { inlineImageUrls } from './images';
import { forwardableAsIs, readUpstreamError, relayPassthrough, withModel } from './passthrough';
import { sendFormatError } from './respond';
import { type Cooldown, type FailureKind, failureKindForStatus } from './routing/cooldowns';
import type { Candidate } from './routing/selector';
import type { EngineState } from './state';
import { relayTranslated } from './translate';
import { DeadlineSweeper } from './upstream/deadlines';
import { callUpstream, describeNetworkError, isTimeout } from './upstream/http';

/** How long a request may wait for a provider's rate-limit token before routing moves on. */
const RATE_LIMIT_WAIT_MS = 2_000;

/** Every answer's total timeout, on one timer for the process. */
const totalDeadlines = new DeadlineSweeper();

function totalTimeoutError(): Error {
  const error = new Error('the request took longer than the total timeout');
  error.name = 'TimeoutError'; // a timeout (504, cooldown kind "timeout"), not a broken answer
  return error;
}

export function modelNotFound(model: string): IRError {
  return apiError(
    404,
    `The model ${JSON.stringify(model)} does not exist or no enabled provider serves it. GET /v1/models lists what this proxy serves.`,
    { code: 'model_not_found', param: 'model' },
  );
}

export function allCoolingDown(model: string, cooling: Cooldown[], now = Date.now()): IRError {
  const soonest = Math.min(...cooling.map((c) => c.until));
  const list = cooling
    .map((c) => `${c.account} (${c.reason.split(':')[0]}, until ${new Date(c.until).toISOString()})`)
    .join(', ');
  return apiError(429, `Every account serving ${JSON.stringify(model)} is cooling down: ${list}.`, {
    code: 'all_accounts_cooling_down',
    retryAfter: Math.max(1, Math.ceil((soonest - now) / 1000)),
  });
}

function isRetryable(kind: FailureKind | undefined): boolean {
  return (
    kind === 'rate_limit' || kind === 'server' || kind === 'timeout' || kind === 'network' || kind === 'auth'
  );
}

/**
 * Resolves the model to candidates, then tries them in order: a retryable failure before anything
 * reached the client moves to the next candidate (up to request_retry extra attempts), and every
 * failure updates the cooldown book. The client request is decoded to IR at most once.
 */
export async function runCall(
  res: ServerResponse,
  deps: PipelineDeps,
  state: EngineState,
  inbound: InboundCall,
): Promise<CallOutcome> {
  const attempts: Attempt[] = [];
  const fail = (error: IRError): CallOutcome => {
    sendFormatError(res, inbound.format, error);
    return { status: error.status, error, translated: false, attempts };
  };
  const routes = state.registry.resolve(inbound.model);
  if (routes.length === 0) return fail(modelNotFound(inbound.model));
  const { book, selector } = deps.routing;
  const { candidates, cooling } = selector.select(
    inbound.model,
    routes,
    state.config.routing_strategy,
    book,
    (route) => deps.routing.accounts.accountsFor(route.provider),
  );
  if (candidates.length === 0) {
    if (cooling.length > 0) return fail(allCoolingDown(inbound.model, cooling));
    return fail(
      apiError(
        503,
        `No signed-in account can serve ${JSON.stringify(inbound.model)}: sign in to ${routes.map((r) => r.provider.name).join(' or ')}.`,
        {
          code: 'no_active_account',
        },
      ),
    );
  }

  const controller = new AbortController();
  deps.inflight.add(controller);
  const onClose = () => {
    if (!res.writableFinished) controller.abort(new Error('client disconnected'));
  };
  res.on('close', onClose);
  let decoded: IRRequest | undefined;
  const decode = () => {
    decoded ??= codecFor(inbound.format).decodeRequest(inbound.body, {
      model: inbound.model,
      stream: inbound.stream,
    });
    return decoded;
  };
  try {
    const maxAttempts = 1 + state.config.request_retry;
    let lastError: IRError | undefined;
    let rateLimited: string[] = [];
    for (const candidate of candidates) {
      if (attempts.length >= maxAttempts || controller.signal.aborted) break;
      const { provider } = candidate.route;
      const bucket = deps.routing.bucket(provider.name, provider.rate_limit, provider.rate_limit_burst);
      if (bucket && !(await bucket.take(RATE_LIMIT_WAIT_MS, controller.signal))) {
        rateLimited = [...rateLimited, provider.name];
        continue;
      }
      const result = await attempt(res, deps, state, inbound, candidate, controller.signal, decode);
      if ('response' in result) {
        attempts.push(result.attempt);
        return { ...result.response, attempts };
      }
      if ('clientError' in result) return fail(result.clientError);
      attempts.push(result.attempt);
      lastError = result.error;
      if (!result.retryable) break;
    }
    if (controller.signal.aborted) return { status: 499, translated: false, attempts };
    if (!lastError && rateLimited.length > 0) {
      return fail(
        apiError(
          429,
          `Local rate limit (rate_limit) of ${rateLimited.join(', ')} reached; try again shortly.`,
          {
            code: 'rate_limit_exceeded',
            retryAfter: 1,
          },
        ),
      );
    }
    return fail(lastError ?? apiError(502, 'No upstream could be tried.'));
  } finally {
    deps.inflight.delete(controller);
    res.off('close', onClose);
  }
}

type AttemptResult =
  | { response: Omit<CallOutcome, 'attempts'>; attempt: Attempt }
  | { clientError: IRError }
  | { error: IRError; retryable: boolean; attempt: Attempt };

async function attempt(
  res: ServerResponse,
  deps: PipelineDeps,
  state: EngineState,
  inbound: InboundCall,
  candidate: Candidate,
  signal: AbortSignal,
  decode: () => IRRequest,
): Promise<AttemptResult> {
  const { route, account } = candidate;
  const { provider, descriptor } = route;
  // Stream-only upstreams always go through the IR: their body is normalized and, for non-stream
  // clients, their stream is aggregated.
  const upstreamStreams = inbound.stream || descriptor.alwaysStreams === true;
  const translated =
    descriptor.format !== inbound.format ||
    descriptor.alwaysStreams === true ||
    descriptor.envelope !== undefined;
  let body: Record<string, unknown>;
  // Set when the client's bytes say exactly what would be sent: they go upstream unserialized.
  let asSent: Buffer | undefined;
  let includeUsage = false;
  try {
    if (translated) {
      const ir: IRRequest = { ...decode(), model: route.upstreamModel, stream: upstreamStreams };
      includeUsage = ir.includeUsage === true;
      if (descriptor.format === 'gemini') await inlineImageUrls(ir, signal);
      body = codecFor(descriptor.format).encodeRequest(ir);
    } else {
      body = withModel(inbound.format, inbound.body, route.upstreamModel);
      if (body === inbound.body && inbound.raw && forwardableAsIs(inbound.raw)) asSent = inbound.raw;
    }
  } catch (error) {
    if (error instanceof FormatError) {
      return {
        clientError: apiError(error.status, error.message, error.param ? { param: error.param } : {}),
      };
    }
    throw error;
  }

  const call: RoutedCall = { ...inbound, route, account, signal };
  const started = Date.now();
  const record = (status: number | null, reason: string): Attempt => ({
    provider: provider.name,
    account,
    status,
    reason,
    durationMs: Date.now() - started,
  });
  const timeouts = state.timeouts;
  const send = async () => {
    const credential = await deps.routing.accounts.credential(provider, account);
    const payload =
      asSent ??
      JSON.stringify(
        descriptor.envelope
          ? descriptor.envelope.wrap(body, { model: route.upstreamModel, credential, provider })
          : body,
      );
    const target = descriptor.target(provider, {
      credential,
      model: route.upstreamModel,
      stream: upstreamStreams,
      sse: translated || inbound.sse,
      clientHeaders: inbound.clientHeaders,
      body,
    });
    return callUpstream({
      url: target.url,
      headers: target.headers,
      body: payload,
      signal,
      timeouts,
      proxyUrl: provider.proxy_url ?? state.config.proxy_url,
    });
  };
  let upstream: Dispatcher.ResponseData;
  try {
    upstream = await send();
    // A signed-in account's token may have been revoked or expired early: refresh once and retry.
    if (
      upstream.statusCode === 401 &&
      provider.auth_type !== 'api_key' &&
      (await deps.routing.accounts.recover(provider, account))
    ) {
      await upstream.body.dump();
      upstream = await send();
    }
  } catch (error) {
    if (signal.aborted)
      return {
        error: apiError(499, 'client disconnected'),
        retryable: false,
        attempt: record(null, 'client disconnected'),
      };
    if (error instanceof CredentialError) {
      deps.routing.book.recordFailure(account, route.upstreamModel, {
        kind: 'auth',
        baseCooldownMs: provider.cooldown,
        message: error.message,
      });
      return {
        error: apiError(401, `Account ${account} cannot be used: ${error.message}`),
        retryable: true,
        attempt: record(null, error.message),
      };
    }
    const kind: FailureKind = isTimeout(error) ? 'timeout' : 'network';
    const reason = describeNetworkError(error);
    deps.routing.book.recordFailure(account, route.upstreamModel, {
      kind,
      baseCooldownMs: provider.cooldown,
      message: reason,
    });
    deps.logger.warn('upstream attempt failed', { provider: provider.name, reason });
    const status = kind === 'timeout' ? 504 : 502;
    return {
      error: apiError(status, `Upstream ${provider.name} failed: ${reason}`),
      retryable: true,
      attempt: record(null, reason),
    };
  }

  deps.routing.recordQuota(provider.name, account, upstream.headers);
  if (upstream.statusCode >= 400) {
    const raw = await readUpstreamError(call, upstream);
    const error = { ...raw, message: deps.redact(raw.message) };
    const kind = failureKindForStatus(upstream.statusCode);
    if (kind) {
      deps.routing.book.recordFailure(account, route.upstreamModel, {
        kind,
        status: upstream.statusCode,
        baseCooldownMs: provider.cooldown,
        message: error.message.slice(0, 200),
        ...(error.retryAfter !== undefined ? { retryAfter: error.retryAfter } : {}),
      });
    }
    return {
      error,
      retryable: isRetryable(kind),
      attempt: record(upstream.statusCode, error.message.slice(0, 200)),
    };
  }

  deps.routing.book.recordSuccess(account, route.upstreamModel);
  const totalDeadline = totalDeadlines.watch(timeouts.totalMs, () =>
    upstream.body.destroy(totalTimeoutError()),
  );
  try {
    const relayed = translated
      ? await relayTranslated(res, call, upstream, includeUsage)
      : await relayPassthrough(res, call, upstream);
    if (relayed.error) {
      // A stream that broke after bytes reached the client cannot fail over, but still cools the account.
      deps.routing.book.recordFailure(account, route.upstreamModel, {
        kind: relayed.error.kind === 'timeout' ? 'timeout' : 'server',
        baseCooldownMs: provider.cooldown,
        message: relayed.error.message,
      });
    }
    return {
      response: {
        ...relayed,
        provider: provider.name,
        account,
        upstreamModel: route.upstreamModel,
        subscription: provider.auth_type !== 'api_key',
        translated,
      },
      attempt: record(upstream.statusCode, relayed.error ? relayed.error.message : 'ok'),
    };
  } finally {
    totalDeadlines.cancel(totalDeadline);
  }
}
