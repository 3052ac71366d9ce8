// One attempt of a call: one candidate account, its request prepared, sent and relayed. What a
// failure means for routing (retry elsewhere or not, cool the account down) is attempt-failure.ts.
import type { ServerResponse } from 'node:http';
import {
  type AttemptResult,
  attemptRecord,
  closedOnArrival,
  failedCall,
  localFailure,
  refused,
  refusedWith,
} from './attempt-failure';
import type { Attempt, InboundCall, PipelineDeps, RelayResult, RoutedCall } from './call';
import type { IRRequest } from './formats/ir';
import { codecFor } from './formats/registry';
import { inlineImageUrls } from './images';
import { forwardableAsIs, relayPassthrough, withModel } from './passthrough';
import type { Credential } from './providers/types';
import type { Candidate } from './routing/selector';
import type { EngineState } from './state';
import { relayTranslated } from './translate';
import { DeadlineSweeper } from './upstream/deadlines';
import type { AnswerBody, UpstreamAnswer } from './upstream/dispatched-answer';
import { callUpstream, egressProxy } from './upstream/http';
import { stringifyLarge } from './upstream/large-json';
import { mayBeWholeAnswer, relayWholeAsStream, sniffWholeAnswer } from './whole-as-stream';

/** Every answer's total timeout, on one timer for the process. */
const totalDeadlines = new DeadlineSweeper();

function totalTimeoutError(): Error {
  const error = new Error('the request took longer than the total timeout');
  error.name = 'TimeoutError'; // a timeout (504, cooldown kind "timeout"), not a broken answer
  return error;
}

/** Building the outgoing request failed here, before anything was sent: no fault of the upstream. */
class UnsendableRequest extends Error {
  constructor(readonly reason: unknown) {
    super('the upstream request could not be built');
  }
}

/** The client request as IR, decoded at most once however many translated attempts need it. */
const decodedRequests = new WeakMap<InboundCall, IRRequest>();
function decodeOnce(inbound: InboundCall): IRRequest {
  let decoded = decodedRequests.get(inbound);
  if (!decoded) {
    decoded = codecFor(inbound.format).decodeRequest(inbound.body, {
      model: inbound.model,
      stream: inbound.stream,
    });
    decodedRequests.set(inbound, decoded);
  }
  return decoded;
}

/** What one attempt sends, and to whom: the body for the upstream's format, or the client's own bytes. */
interface Prepared {
  inbound: InboundCall;
  candidate: Candidate;
  signal: AbortSignal;
  body: Record<string, unknown>;
  /** Set when the client's bytes say exactly what would be sent: they go upstream unserialized. */
  asSent: Buffer | undefined;
  includeUsage: boolean;
  upstreamStreams: boolean;
  translated: boolean;
}

/** Cuts the answer's body off once the total timeout has passed. */
function watchTotal(ms: number, body: AnswerBody) {
  return totalDeadlines.watch(ms, () => body.destroy(totalTimeoutError()));
}

/** The body to send; a promise only when images must be fetched first (Gemini takes no URLs). */
function prepare(
  inbound: InboundCall,
  candidate: Candidate,
  signal: AbortSignal,
): Prepared | Promise<Prepared> {
  const { route } = candidate;
  const { descriptor } = route;
  // Stream-only upstreams always go through the IR: their body is normalized and, for non-stream
  // clients, their stream is aggregated.
  const upstreamStreams = inbound.stream || descriptor.alwaysStreams === true;
  const translated =
    descriptor.format !== inbound.format ||
    descriptor.alwaysStreams === true ||
    descriptor.envelope !== undefined;
  if (translated) {
    const ir: IRRequest = { ...decodeOnce(inbound), model: route.upstreamModel, stream: upstreamStreams };
    const encoded = (): Prepared => ({
      inbound,
      candidate,
      signal,
      body: codecFor(descriptor.format).encodeRequest(ir),
      asSent: undefined,
      includeUsage: ir.includeUsage === true,
      upstreamStreams,
      translated,
    });
    return descriptor.format === 'gemini' ? inlineImageUrls(ir, signal).then(encoded) : encoded();
  }
  const body = withModel(inbound.format, inbound.body, route.upstreamModel);
  const asSent =
    body === inbound.body && inbound.raw && forwardableAsIs(inbound.raw) ? inbound.raw : undefined;
  return { inbound, candidate, signal, body, asSent, includeUsage: false, upstreamStreams, translated };
}

/** Sends the attempt; an API key's request goes out without waiting a turn for its credential. */
function send(deps: PipelineDeps, state: EngineState, prepared: Prepared): Promise<UpstreamAnswer> {
  const { candidate } = prepared;
  const credential = deps.routing.accounts.credential(candidate.route.provider, candidate.account);
  return credential instanceof Promise
    ? credential.then((c) => sendWith(c, state, prepared))
    : sendWith(credential, state, prepared);
}

/** A body this large may hold a string worth splicing in rather than escaping (see large-json.ts). */
const LARGE_BODY_BYTES = 64 * 1024;

function sendWith(credential: Credential, state: EngineState, prepared: Prepared): Promise<UpstreamAnswer> {
  const { inbound, signal } = prepared;
  const { route } = prepared.candidate;
  const { provider, descriptor } = route;
  let payload: string | Buffer;
  let target: ReturnType<typeof descriptor.target>;
  try {
    const stringify = (inbound.raw?.length ?? 0) >= LARGE_BODY_BYTES ? stringifyLarge : JSON.stringify;
    payload =
      prepared.asSent ??
      stringify(
        descriptor.envelope
          ? descriptor.envelope.wrap(prepared.body, { model: route.upstreamModel, credential, provider })
          : prepared.body,
      );
    target = descriptor.target(provider, {
      credential,
      model: route.upstreamModel,
      stream: prepared.upstreamStreams,
      sse: prepared.translated || inbound.sse,
      clientHeaders: inbound.clientHeaders,
      body: prepared.body,
    });
  } catch (error) {
    throw new UnsendableRequest(error);
  }
  return callUpstream({
    url: target.url,
    headers: target.headers,
    body: payload,
    signal,
    timeouts: state.timeouts,
    proxyUrl: egressProxy(provider, state.config.proxy_url),
  });
}

// No closures below: each would make V8 allocate a context for the attempt's variables, per request.
export async function attempt(
  res: ServerResponse,
  deps: PipelineDeps,
  state: EngineState,
  inbound: InboundCall,
  candidate: Candidate,
  signal: AbortSignal,
  /** The call's attempt log, which the outcome carries (this attempt is added by the caller). */
  attempts: Attempt[],
): Promise<AttemptResult> {
  const { route, account } = candidate;
  const { provider } = route;
  let prepared: Prepared;
  try {
    const pending = prepare(inbound, candidate, signal);
    prepared = pending instanceof Promise ? await pending : pending;
  } catch (error) {
    return localFailure(error);
  }

  const started = Date.now();
  let upstream: UpstreamAnswer | undefined;
  let resent = false;
  while (!upstream) {
    try {
      upstream = await send(deps, state, prepared);
      // A signed-in account's token may have been revoked or expired early: refresh once and retry.
      // Some subscriptions answer such a token with 403 rather than 401.
      if ((upstream.statusCode === 401 || upstream.statusCode === 403) && provider.auth_type !== 'api_key')
        upstream = await afterRefusedToken(deps, state, prepared, upstream);
    } catch (error) {
      upstream = undefined; // a refused token's answer, already read, when sending after a refresh failed
      if (error instanceof UnsendableRequest) return localFailure(error.reason);
      if (resent || signal.aborted || !closedOnArrival(error, started))
        return failedCall(deps, candidate, signal, started, error);
      resent = true;
    }
  }

  deps.routing.recordQuota(provider.name, account, upstream.headers);
  if (upstream.statusCode >= 400) return refused(deps, inbound, candidate, signal, started, upstream);

  deps.routing.book.recordSuccess(account, route.upstreamModel);
  const call: RoutedCall = {
    format: inbound.format,
    body: inbound.body,
    model: inbound.model,
    stream: inbound.stream,
    sse: inbound.sse,
    clientHeaders: inbound.clientHeaders,
    route,
    account,
    signal,
  };
  const totalDeadline = watchTotal(state.timeouts.totalMs, upstream.body);
  try {
    const relayed = await relay(res, call, upstream, prepared);
    if (relayed.unusable) return refusedWith(deps, candidate, started, upstream.statusCode, relayed.unusable);
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
        status: relayed.status,
        usage: relayed.usage,
        error: relayed.error,
        provider: provider.name,
        account,
        upstreamModel: route.upstreamModel,
        subscription: provider.auth_type !== 'api_key',
        translated: prepared.translated,
        attempts,
      },
      attempt: attemptRecord(
        provider.name,
        account,
        started,
        upstream.statusCode,
        relayed.error ? relayed.error.message : 'ok',
      ),
    };
  } finally {
    totalDeadlines.cancel(totalDeadline);
  }
}

/** Relays a successful answer; no promise of its own unless the answer must be looked into first. */
function relay(
  res: ServerResponse,
  call: RoutedCall,
  upstream: UpstreamAnswer,
  prepared: Prepared,
): Promise<RelayResult> {
  // A Gemini client's JSON-array stream comes labelled as JSON: there is nothing to look into.
  if (call.stream && call.sse && mayBeWholeAnswer(upstream))
    return relaySniffed(res, call, upstream, prepared);
  return relayAsSent(res, call, upstream, prepared);
}

/** Relays the answer in the shape the request asked for: translated or byte for byte. */
function relayAsSent(
  res: ServerResponse,
  call: RoutedCall,
  upstream: UpstreamAnswer,
  prepared: Prepared,
): Promise<RelayResult> {
  return prepared.translated
    ? relayTranslated(res, call, upstream, prepared.includeUsage)
    : relayPassthrough(res, call, upstream);
}

/** A stream whose headers do not say it is one: a whole JSON answer is replayed as a stream. */
async function relaySniffed(
  res: ServerResponse,
  call: RoutedCall,
  upstream: UpstreamAnswer,
  prepared: Prepared,
): Promise<RelayResult> {
  const sniffed = await sniffWholeAnswer(upstream);
  if (sniffed.whole) return relayWholeAsStream(res, call, sniffed.upstream, includeUsage(prepared));
  return relayAsSent(res, call, sniffed.upstream, prepared);
}

/** Whether the client asked for usage in its stream (a same-format request was not decoded yet). */
function includeUsage(prepared: Prepared): boolean {
  if (prepared.translated) return prepared.includeUsage;
  try {
    return decodeOnce(prepared.inbound).includeUsage === true;
  } catch {
    return false; // a body the codec refuses was relayed as-is; the upstream accepted it
  }
}

/** Refreshes the token an upstream refused, and sends again when that worked. */
async function afterRefusedToken(
  deps: PipelineDeps,
  state: EngineState,
  prepared: Prepared,
  upstream: UpstreamAnswer,
): Promise<UpstreamAnswer> {
  const { provider } = prepared.candidate.route;
  let recovered: boolean;
  try {
    recovered = await deps.routing.accounts.recover(provider, prepared.candidate.account);
  } catch (error) {
    await upstream.body.dump(); // a refresh that failed for now: a CredentialError for the caller
    throw error;
  }
  if (!recovered) return upstream;
  await upstream.body.dump();
  return send(deps, state, prepared);
}
