import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, Response } from 'express';
import type { Recorder } from '../../metrics/recorder';
import { meter } from '../../metrics/response-meter';
import type { CallOutcome, InboundCall, PipelineDeps } from '../call';
import type { ClientKey } from '../client-auth';
import { type ClientLimits, modelAllowed } from '../client-limits';
import { FormatError, type FormatId } from '../formats/ir';
import { apiError } from '../http-errors';
import { runCall } from '../pipeline';
import { sendFormatError } from '../respond';
import type { EngineState } from '../state';
import { jsonBody } from './body';

export interface RouteDeps extends PipelineDeps {
  state(): EngineState;
  limits: ClientLimits;
  recorder?: Recorder;
}

/** What the usage record says about the request, filled in as the handler learns it. */
interface RequestFacts {
  format: FormatId;
  model: string;
  stream: boolean;
  startedAt: number;
  /** Set once the request was announced as started; its record keeps the same id. */
  id?: string;
}

type Handle = (
  request: ClientRequest,
  res: ServerResponse,
  deps: RouteDeps,
  facts: RequestFacts,
) => Promise<CallOutcome | undefined>;

/** Measures the response and writes one usage record when the handler is done, whatever happened. */
async function recorded(
  request: ClientRequest,
  res: ServerResponse,
  deps: RouteDeps,
  facts: RequestFacts,
  handle: Handle,
): Promise<void> {
  const measured = deps.recorder ? meter(res) : undefined;
  const config = deps.state().config;
  const bodies = config.log_bodies
    ? { request: request.body, maxBytes: config.log_body_max_bytes }
    : undefined;
  if (bodies && measured) measured.captureBody(bodies.maxBytes);
  let outcome: CallOutcome | undefined;
  try {
    outcome = await handle(request, res, deps, facts);
  } finally {
    if (deps.recorder && measured) {
      deps.recorder.record({
        id: facts.id,
        startedAt: facts.startedAt,
        clientKey: request.clientKey?.name,
        inboundFormat: facts.format,
        model: facts.model,
        stream: facts.stream,
        requestBytes: Buffer.isBuffer(request.body) ? request.body.length : 0,
        meter: measured,
        outcome,
        status: res.statusCode,
        bodies,
      });
    }
  }
}

/** Runs the call unless the client key may not use the model; counts its tokens for tpm. */
async function run(
  res: ServerResponse,
  deps: RouteDeps,
  key: ClientKey | undefined,
  call: InboundCall,
  facts: RequestFacts,
): Promise<CallOutcome | undefined> {
  if (key && !modelAllowed(key, call.model)) {
    sendFormatError(
      res,
      call.format,
      apiError(
        403,
        `API key ${key.name} may not use model ${JSON.stringify(call.model)} (see its models list).`,
        {
          code: 'model_not_allowed',
          param: 'model',
        },
      ),
    );
    return undefined;
  }
  // Checked here so a request nobody watches builds no announcement.
  if (deps.recorder?.announcing())
    facts.id = deps.recorder.started({
      started_at: facts.startedAt,
      client_key: key?.name ?? null,
      inbound_format: call.format,
      model: call.model,
      stream: call.stream,
    });
  const outcome = await runCall(res, deps, deps.state(), call);
  if (key && outcome.usage)
    deps.limits.recordTokens(key, outcome.usage.inputTokens + outcome.usage.outputTokens);
  return outcome;
}

/** Gemini puts model and method in the path: `/v1beta/models/{model}:{method}`. */
export function parseGeminiTarget(target: string): { model: string; method: string } | undefined {
  const at = target.lastIndexOf(':');
  if (at <= 0) return undefined;
  return { model: target.slice(0, at), method: target.slice(at + 1) };
}

/**
 * What the route knows once the body is read and the client authenticated: the raw body (a Buffer;
 * undefined when the request had none) and the client key it presented (undefined when api_keys is
 * empty). Express routes take both from req.body and res.locals; the direct path (app.ts) reads them
 * itself.
 */
export interface ClientRequest {
  req: IncomingMessage;
  body: unknown;
  clientKey: ClientKey | undefined;
}

/** Reads what every inbound API shares (JSON body, model, stream flag), then runs the pipeline. */
export function inboundHandler(format: Exclude<FormatId, 'gemini'>, deps: RouteDeps) {
  return (request: ClientRequest, res: ServerResponse): Promise<void> =>
    recorded(request, res, deps, { format, model: '', stream: false, startedAt: Date.now() }, handleInbound);
}

async function handleInbound(
  request: ClientRequest,
  res: ServerResponse,
  deps: RouteDeps,
  facts: RequestFacts,
): Promise<CallOutcome | undefined> {
  const format = facts.format;
  const body = readBody(request.body, res, format);
  if (!body) return undefined;
  const model = body.model;
  if (typeof model === 'string') facts.model = model;
  facts.stream = body.stream === true;
  if (typeof model !== 'string' || model.trim() === '') {
    sendFormatError(res, format, apiError(400, 'model: a model name is required', { param: 'model' }));
    return undefined;
  }
  const call: InboundCall = {
    format,
    body,
    model,
    stream: facts.stream,
    sse: true,
    clientHeaders: request.req.headers,
    raw: Buffer.isBuffer(request.body) ? request.body : undefined,
  };
  return run(res, deps, request.clientKey, call, facts);
}

export function geminiHandler(deps: RouteDeps) {
  return (req: Request, res: Response, model: string, stream: boolean): Promise<void> =>
    recorded(
      fromExpress(req, res),
      res,
      deps,
      { format: 'gemini', model, stream, startedAt: Date.now() },
      async (request, _res, _deps, facts) => {
        const body = readBody(request.body, res, 'gemini');
        if (!body) return undefined;
        const call: InboundCall = {
          format: 'gemini',
          body,
          model: facts.model,
          stream: facts.stream,
          sse: req.query.alt === 'sse',
          clientHeaders: req.headers,
        };
        return run(res, deps, request.clientKey, call, facts);
      },
    );
}

/** The body and client key an Express route has (set by express.raw and the clientAuth middleware). */
export function fromExpress(req: Request, res: Response): ClientRequest {
  return { req, body: req.body, clientKey: res.locals.clientKey as ClientKey | undefined };
}

function readBody(raw: unknown, res: ServerResponse, format: FormatId): Record<string, unknown> | undefined {
  try {
    return jsonBody(raw);
  } catch (error) {
    const err = error as FormatError;
    if (!(err instanceof FormatError)) throw error;
    sendFormatError(res, format, apiError(err.status, err.message, err.param ? { param: err.param } : {}));
    return undefined;
  }
}
