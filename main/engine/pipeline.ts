import type { ServerResponse } from 'node:http';
import { attempt } from './attempt';
import type { Attempt, CallOutcome, InboundCall, PipelineDeps } from './call';
import type { IRError } from './formats/ir';
import { apiError } from './http-errors';
import { sendFormatError } from './respond';
import type { Cooldown } from './routing/cooldowns';
import type { EngineState } from './state';

/** How long a request may wait for a provider's rate-limit token before routing moves on. */
const RATE_LIMIT_WAIT_MS = 2_000;

/** The model name as errors quote it: a name of any length came from the client, so it is cut short. */
function quoted(model: string): string {
  return JSON.stringify(model.length > 200 ? `${model.slice(0, 200)}…` : model);
}

export function modelNotFound(model: string): IRError {
  return apiError(
    404,
    `The model ${quoted(model)} does not exist or no enabled provider serves it. GET /v1/models lists what this proxy serves.`,
    { code: 'model_not_found', param: 'model' },
  );
}

export function allCoolingDown(model: string, cooling: Cooldown[], now = Date.now()): IRError {
  const soonest = Math.min(...cooling.map((c) => c.until));
  const list = cooling
    .map((c) => `${c.account} (${c.reason.split(':')[0]}, until ${new Date(c.until).toISOString()})`)
    .join(', ');
  return apiError(429, `Every account serving ${quoted(model)} is cooling down: ${list}.`, {
    code: 'all_accounts_cooling_down',
    retryAfter: Math.max(1, Math.ceil((soonest - now) / 1000)),
  });
}

/** Sends the client an error in its own format and says so in the outcome. */
function failWith(
  res: ServerResponse,
  inbound: InboundCall,
  attempts: Attempt[],
  error: IRError,
): CallOutcome {
  sendFormatError(res, inbound.format, error);
  return { status: error.status, error, translated: false, attempts };
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
  const routes = state.registry.resolve(inbound.model);
  if (routes.length === 0) return failWith(res, inbound, attempts, modelNotFound(inbound.model));
  const { book, selector } = deps.routing;
  const { candidates, cooling } = selector.select(
    inbound.model,
    routes,
    state.config.routing_strategy,
    book,
    deps.routing.accounts,
  );
  if (candidates.length === 0) {
    if (cooling.length > 0) return failWith(res, inbound, attempts, allCoolingDown(inbound.model, cooling));
    return failWith(
      res,
      inbound,
      attempts,
      apiError(
        503,
        `No signed-in account can serve ${quoted(inbound.model)}: sign in to ${routes.map((r) => r.provider.name).join(' or ')}.`,
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
  try {
    const maxAttempts = 1 + state.config.request_retry;
    let lastError: IRError | undefined;
    let rateLimited: string[] | undefined;
    for (const candidate of candidates) {
      if (attempts.length >= maxAttempts || controller.signal.aborted) break;
      const { provider } = candidate.route;
      const bucket = deps.routing.bucket(provider.name, provider.rate_limit, provider.rate_limit_burst);
      if (bucket && !(await bucket.take(RATE_LIMIT_WAIT_MS, controller.signal))) {
        rateLimited = [...(rateLimited ?? []), provider.name];
        continue;
      }
      const result = await attempt(res, deps, state, inbound, candidate, controller.signal, attempts);
      if ('response' in result) {
        attempts.push(result.attempt);
        return result.response;
      }
      if ('clientError' in result) return failWith(res, inbound, attempts, result.clientError);
      attempts.push(result.attempt);
      lastError = result.error;
      if (!result.retryable) break;
    }
    if (controller.signal.aborted) return { status: 499, translated: false, attempts };
    if (!lastError && rateLimited) {
      return failWith(
        res,
        inbound,
        attempts,
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
    return failWith(res, inbound, attempts, lastError ?? apiError(502, 'No upstream could be tried.'));
  } finally {
    deps.inflight.delete(controller);
    res.off('close', onClose);
  }
}
