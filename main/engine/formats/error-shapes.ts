import { type FormatId, type IRError, type IRErrorKind, type JsonObject, kindForStatus } from './ir';

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

/**
 * Google's `RetryInfo` detail (`"retryDelay": "37s"`, a protobuf Duration), which Gemini and Code
 * Assist put in a 429's body instead of a Retry-After header: seconds, or undefined.
 */
export function retryDelayOf(details: unknown): number | undefined {
  if (!Array.isArray(details)) return undefined;
  for (const detail of details) {
    const delay = (detail as { retryDelay?: unknown } | null)?.retryDelay;
    const match = typeof delay === 'string' ? /^(\d+(?:\.\d+)?)s$/.exec(delay.trim()) : null;
    if (match) return Number(match[1]);
  }
  return undefined;
}

/**
 * When a spent quota comes back, as Codex (the ChatGPT subscription) says in a `usage_limit_reached`
 * 429: `resets_in_seconds`, else `resets_at` (Unix seconds). Seconds from now, or undefined.
 */
function resetsIn(error: { resets_in_seconds?: unknown; resets_at?: unknown }): number | undefined {
  const { resets_in_seconds: inSeconds, resets_at: at } = error;
  if (typeof inSeconds === 'number' && Number.isFinite(inSeconds) && inSeconds >= 0) return inSeconds;
  if (typeof at === 'number' && Number.isFinite(at)) return Math.max(0, Math.ceil(at - Date.now() / 1000));
  return undefined;
}

/** The message, code and retry delay inside any of the four error shapes, or the raw text. */
function readError(bodyText: string): { message?: string; code?: string; retryAfter?: number } {
  try {
    const parsed = JSON.parse(bodyText) as { error?: unknown; message?: unknown };
    const inner = Array.isArray(parsed)
      ? (parsed[0] as { error?: unknown } | undefined)?.error
      : parsed.error;
    if (typeof inner === 'string') return { message: inner };
    if (inner && typeof inner === 'object') {
      const e = inner as {
        message?: unknown;
        code?: unknown;
        status?: unknown;
        details?: unknown;
        resets_in_seconds?: unknown;
        resets_at?: unknown;
      };
      const code = typeof e.code === 'string' ? e.code : typeof e.status === 'string' ? e.status : undefined;
      const retryAfter = retryDelayOf(e.details) ?? resetsIn(e);
      return {
        ...(typeof e.message === 'string' ? { message: e.message } : {}),
        ...(code ? { code } : {}),
        ...(retryAfter !== undefined ? { retryAfter } : {}),
      };
    }
    if (typeof parsed.message === 'string') return { message: parsed.message };
  } catch {
    // not JSON
  }
  return {};
}

export function decodeErrorBody(status: number, bodyText: string, retryAfter?: number): IRError {
  const { message, code, retryAfter: inBody } = readError(bodyText);
  const text = bodyText.trim().slice(0, 2_000);
  // A Retry-After header wins; Google's services and Codex say it in the body.
  const wait = retryAfter ?? inBody;
  return {
    status,
    kind: kindForStatus(status),
    message: message ?? (text || `Upstream answered HTTP ${status} with an empty body`),
    ...(code ? { code } : {}),
    ...(wait !== undefined ? { retryAfter: wait } : {}),
  };
}

export function encodeErrorBody(format: FormatId, error: IRError): JsonObject {
  switch (format) {
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

export function errorCodec(format: FormatId) {
  return {
    decodeError: decodeErrorBody,
    encodeError: (error: IRError) => encodeErrorBody(format, error),
  };
}
