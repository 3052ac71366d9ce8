import type { Response } from 'express';
import { type IRError, type IRErrorKind, kindForStatus } from './formats/ir';

/** The API a client speaks, known from the path it called; errors go back in that API's shape. */
export type ApiFamily = 'openai' | 'claude' | 'gemini';

export function familyForPath(path: string): ApiFamily {
  if (path.startsWith('/v1beta/') || path === '/v1beta') return 'gemini';
  if (path.startsWith('/v1/messages')) return 'claude';
  return 'openai';
}

export function apiError(status: number, message: string, extra: Partial<IRError> = {}): IRError {
  return { status, kind: extra.kind ?? kindForStatus(status), message, ...extra };
}

const OPENAI_TYPE: Record<IRErrorKind, string> = {
  invalid_request: 'invalid_request_error',
  authentication: 'authentication_error',
  permission: 'permission_error',
  not_found: 'not_found_error',
  request_too_large: 'invalid_request_error',
  rate_limit: 'rate_limit_error',
  overloaded: 'server_error',
  timeout: 'timeout_error',
  server: 'server_error',
};

const CLAUDE_TYPE: Record<IRErrorKind, string> = {
  invalid_request: 'invalid_request_error',
  authentication: 'authentication_error',
  permission: 'permission_error',
  not_found: 'not_found_error',
  request_too_large: 'request_too_large',
  rate_limit: 'rate_limit_error',
  overloaded: 'overloaded_error',
  timeout: 'api_error',
  server: 'api_error',
};

const GEMINI_STATUS: Record<IRErrorKind, string> = {
  invalid_request: 'INVALID_ARGUMENT',
  authentication: 'UNAUTHENTICATED',
  permission: 'PERMISSION_DENIED',
  not_found: 'NOT_FOUND',
  request_too_large: 'INVALID_ARGUMENT',
  rate_limit: 'RESOURCE_EXHAUSTED',
  overloaded: 'UNAVAILABLE',
  timeout: 'DEADLINE_EXCEEDED',
  server: 'INTERNAL',
};

export function errorBody(family: ApiFamily, error: IRError): Record<string, unknown> {
  switch (family) {
    case 'claude':
      return { type: 'error', error: { type: CLAUDE_TYPE[error.kind], message: error.message } };
    case 'gemini':
      return { error: { code: error.status, message: error.message, status: GEMINI_STATUS[error.kind] } };
    default:
      return {
        error: {
          message: error.message,
          type: OPENAI_TYPE[error.kind],
          param: error.param ?? null,
          code: error.code ?? null,
        },
      };
  }
}

export function sendError(res: Response, family: ApiFamily, error: IRError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (error.retryAfter !== undefined) res.setHeader('retry-after', String(Math.ceil(error.retryAfter)));
  res.status(error.status).json(errorBody(family, error));
}
