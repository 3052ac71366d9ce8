import type { Request, Response } from 'express';
import type { FormatError } from '../formats/ir';
import { apiError, sendError } from '../http-errors';
import { forwardPassthrough, type ProxyDeps } from '../proxy';
import type { EngineState } from '../state';
import { jsonBody } from './body';

export async function chatCompletions(req: Request, res: Response, state: EngineState, deps: ProxyDeps) {
  let body: Record<string, unknown>;
  try {
    body = jsonBody(req);
  } catch (error) {
    const err = error as FormatError;
    sendError(res, 'openai', apiError(err.status, err.message, err.param ? { param: err.param } : {}));
    return;
  }
  const model = body.model;
  if (typeof model !== 'string' || model.trim() === '') {
    sendError(res, 'openai', apiError(400, 'model: a model name is required', { param: 'model' }));
    return;
  }
  const routes = state.registry.resolve(model);
  const route = routes[0];
  if (!route) {
    sendError(res, 'openai', modelNotFound(model));
    return;
  }
  await forwardPassthrough(res, deps, { family: 'openai', body, route, stream: body.stream === true });
}

export function modelNotFound(model: string) {
  return apiError(
    404,
    `The model ${JSON.stringify(model)} does not exist or no enabled provider serves it. GET /v1/models lists what this proxy serves.`,
    { code: 'model_not_found', param: 'model' },
  );
}
