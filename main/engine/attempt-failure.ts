// What a failed attempt means: for the client (its own 4xx), for routing (cooldown, failover) and
// for the request log.
import type { Attempt, CallOutcome, PipelineDeps } from './call';
import { CredentialError, type InboundCall } from './call';
import { FormatError, type IRError } from './formats/ir';
import { apiError } from './http-errors';
import { readUpstreamError } from './passthrough';
import { type FailureKind, failureKindForStatus } from './routing/cooldowns';
import type { Candidate } from './routing/selector';
import type { UpstreamAnswer } from './upstream/dispatched-answer';
import { describeNetworkError, isTimeout } from './upstream/http';

function isRetryable(kind: FailureKind | undefined): boolean {
  return (
    kind === 'rate_limit' || kind === 'server' || kind === 'timeout' || kind === 'network' || kind === 'auth'
  );
}

/**
 * A failure of this process while it prepared the request, before anything went upstream: the same
 * for every account, so no cooldown and no failover. A FormatError is the client's 4xx, and so is a
 * request nested so deeply that translating or serializing it overflows the stack (it once passed
 * for a network failure and cooled the account down); anything else is the proxy's own 500.
 */
export function localFailure(error: unknown): { clientError: IRError } {
  if (error instanceof FormatError)
    return { clientError: apiError(error.status, error.message, error.param ? { param: error.param } : {}) };
  if (error instanceof RangeError && /call stack/i.test(error.message))
    return {
      clientError: apiError(400, 'The request is nested too deeply to be translated or sent upstream.'),
    };
  throw error;
}

export type AttemptResult =
  | { response: CallOutcome; attempt: Attempt }
  | { clientError: IRError }
  | { error: IRError; retryable: boolean; attempt: Attempt };

/** The attempt's line in the request log. */
export function attemptRecord(
  provider: string,
  account: string,
  started: number,
  status: number | null,
  reason: string,
): Attempt {
  return { provider, account, status, reason, durationMs: Date.now() - started };
}

/** How soon after sending a closed connection counts as closed on arrival (see closedOnArrival). */
const CLOSED_ON_ARRIVAL_MS = 1_000;

/**
 * The connection closed as the request went out, before any answer. Mostly a pooled connection the
 * upstream closed while it sat idle (servers that close idle connections sooner than the pool keeps
 * them, without saying so, lose this race now and then): the request never reached it, so it is sent
 * once more on another connection instead of cooling a healthy account down.
 */
export function closedOnArrival(error: unknown, started: number): boolean {
  const code = (error as { code?: unknown }).code;
  return (
    (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE') &&
    Date.now() - started < CLOSED_ON_ARRIVAL_MS
  );
}

/** No answer came: the client left, the credential could not be had, or the network failed. */
export function failedCall(
  deps: PipelineDeps,
  candidate: Candidate,
  signal: AbortSignal,
  started: number,
  error: unknown,
): AttemptResult {
  const { route, account } = candidate;
  const { provider } = route;
  if (signal.aborted)
    return {
      error: apiError(499, 'client disconnected'),
      retryable: false,
      attempt: attemptRecord(provider.name, account, started, null, 'client disconnected'),
    };
  if (error instanceof CredentialError) {
    deps.routing.book.recordFailure(account, route.upstreamModel, {
      kind: error.transient ? 'network' : 'auth',
      baseCooldownMs: provider.cooldown,
      message: error.message,
    });
    return {
      error: apiError(error.transient ? 502 : 401, `Account ${account} cannot be used: ${error.message}`),
      retryable: true,
      attempt: attemptRecord(provider.name, account, started, null, error.message),
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
    attempt: attemptRecord(provider.name, account, started, null, reason),
  };
}

/** The upstream answered with an error status: read it, cool the account down as it says. */
export async function refused(
  deps: PipelineDeps,
  inbound: InboundCall,
  candidate: Candidate,
  signal: AbortSignal,
  started: number,
  upstream: UpstreamAnswer,
): Promise<AttemptResult> {
  const { route, account } = candidate;
  const raw = await readUpstreamError({ ...inbound, route, account, signal }, upstream);
  return refusedWith(deps, candidate, started, upstream.statusCode, raw);
}

/**
 * Whether a 404 says the model is missing, which benches the model on that account for hours.
 * Aggregators also answer 404 for what one request asks (OpenRouter: "No endpoints found that support
 * tool use"), and benching the model for that would refuse the next, plain request for 12 hours.
 */
export function modelMissing(error: IRError, upstreamModel: string): boolean {
  if (error.code === 'model_not_found') return true;
  const message = error.message.toLowerCase();
  return (
    (upstreamModel !== '' && message.includes(upstreamModel.toLowerCase())) || /\bmodels?\b/.test(message)
  );
}

/**
 * The upstream refused, with an error status, or its 200 could not be used (an error in it, a body
 * that broke off or is no answer; RelayResult.unusable): the account cools down as the error's status
 * says, and the call may fail over.
 */
export function refusedWith(
  deps: PipelineDeps,
  candidate: Candidate,
  started: number,
  upstreamStatus: number,
  raw: IRError,
): AttemptResult {
  const { route, account } = candidate;
  const { provider } = route;
  const error = { ...raw, message: deps.redact(raw.message) };
  let kind = failureKindForStatus(raw.status);
  if (kind === 'not_found' && !modelMissing(error, route.upstreamModel)) kind = undefined;
  if (kind) {
    deps.routing.book.recordFailure(account, route.upstreamModel, {
      kind,
      status: raw.status,
      baseCooldownMs: provider.cooldown,
      message: error.message.slice(0, 200),
      ...(error.retryAfter !== undefined ? { retryAfter: error.retryAfter } : {}),
    });
  }
  return {
    error,
    retryable: isRetryable(kind),
    attempt: attemptRecord(provider.name, account, started, upstreamStatus, error.message.slice(0, 200)),
  };
}
