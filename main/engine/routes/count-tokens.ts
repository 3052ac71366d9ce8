import type { Request, Response } from 'express';
import { FormatError, type FormatId, type IRRequest } from '../formats/ir';
import { codecFor } from '../formats/registry';
import { apiError } from '../http-errors';
import { modelNotFound } from '../pipeline';
import { sendFormatError } from '../respond';
import type { EngineState } from '../state';
import { jsonBody } from './body';

/**
 * A local estimate (about four characters a token) that works whatever the upstream: exact counts
 * would need each provider's tokenizer or an extra upstream call per keystroke of the client.
 */
export function estimateTokens(request: IRRequest): number {
  const text = JSON.stringify([request.system, request.messages, request.tools]);
  return Math.max(1, Math.ceil(text.length / 4));
}

export function countTokens(
  req: Request,
  res: Response,
  state: EngineState,
  format: FormatId,
  model?: string,
): void {
  try {
    const body = jsonBody(req.body);
    // Gemini's countTokens may wrap the request: {generateContentRequest: {...}}.
    const inner =
      format === 'gemini' && typeof body.generateContentRequest === 'object' && body.generateContentRequest
        ? (body.generateContentRequest as Record<string, unknown>)
        : body;
    const name = model ?? (typeof body.model === 'string' ? body.model : '');
    if (!name) throw new FormatError('model: a model name is required', 'model');
    if (state.registry.resolve(name).length === 0) {
      sendFormatError(res, format, modelNotFound(name));
      return;
    }
    const decodeBody =
      format === 'claude' && inner.max_tokens === undefined ? { ...inner, max_tokens: 1 } : inner;
    const ir = codecFor(format).decodeRequest(decodeBody, { model: name, stream: false });
    const tokens = estimateTokens(ir);
    res.setHeader('x-cliproxy-token-count', 'estimate');
    res.json(format === 'gemini' ? { totalTokens: tokens } : { input_tokens: tokens });
  } catch (error) {
    if (!(error instanceof FormatError)) throw error;
    sendFormatError(
      res,
      format,
      apiError(error.status, error.message, error.param ? { param: error.param } : {}),
    );
  }
}
