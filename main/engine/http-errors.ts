import type { FormatId, IRError } from './formats/ir';
import { kindForStatus } from './formats/ir';

/** The API a client speaks, known from the path it called; errors go back in that API's shape. */
export function formatForPath(path: string): FormatId {
  if (path.startsWith('/v1beta/') || path === '/v1beta') return 'gemini';
  if (path.startsWith('/v1/models/') && path.includes(':')) return 'gemini';
  if (path.startsWith('/v1/messages')) return 'claude';
  if (path.startsWith('/v1/responses')) return 'openai-responses';
  return 'openai-chat';
}

export function apiError(status: number, message: string, extra: Partial<IRError> = {}): IRError {
  return { status, kind: extra.kind ?? kindForStatus(status), message, ...extra };
}
