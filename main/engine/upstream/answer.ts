import type { IRError } from '../formats/ir';
import { utf8Text } from '../utf8';
import { AnswerAbandoned, type AnswerBody, AnswerTooLarge } from './dispatched-answer';
import { describeNetworkError, isTimeout } from './http';

/** The biggest non-stream answer the proxy holds in memory before it gives up on it. */
export const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

export type WholeAnswer = { raw: Buffer; json: unknown } | { error: IRError };

/**
 * Reads a whole non-stream upstream answer and parses it as JSON before any byte reaches the client,
 * so a body that breaks off, stalls, overflows or is not JSON becomes a clear error in the client's
 * format instead of a 200 with a torn body.
 */
export function readWholeAnswer(body: AnswerBody, maxBytes = MAX_ANSWER_BYTES): Promise<WholeAnswer> {
  return body.whole(maxBytes).then(parsedAnswer, failedAnswer);
}

function parsedAnswer(raw: Buffer): WholeAnswer {
  try {
    return { raw, json: JSON.parse(utf8Text(raw)) };
  } catch (error) {
    return { error: badAnswer(`the answer is not valid JSON (${(error as Error).message})`) };
  }
}

function failedAnswer(error: unknown): WholeAnswer {
  if (error instanceof AnswerTooLarge) return { error: badAnswer(error.message) };
  // Abandoned without a reason (the client went away): nothing more will come.
  if (error instanceof AnswerAbandoned) return { error: badAnswer('the answer broke off') };
  if (isTimeout(error)) {
    return {
      error: {
        status: 504,
        kind: 'timeout',
        message: `The upstream answer stopped before it was complete: ${describeNetworkError(error)}`,
      },
    };
  }
  return { error: badAnswer(`the answer broke off: ${describeNetworkError(error)}`) };
}

export function badAnswer(message: string): IRError {
  return { status: 502, kind: 'server', message: `Bad answer from upstream: ${message}` };
}

/**
 * An upstream error sent with status 200, as OpenRouter and other aggregators do when the provider
 * behind them failed: a body whose top-level `error` is set (a successful Responses answer carries
 * `"error": null`). Decoded as the error it is, with the status its `code` names, else 502; undefined
 * for an answer. Without this, lenient decoders read such a body as an empty, successful answer.
 */
export function errorInAnswer(
  answer: { raw: Buffer; json: unknown },
  decodeError: (status: number, bodyText: string) => IRError,
): IRError | undefined {
  const { json } = answer;
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return undefined;
  const error = (json as { error?: unknown }).error;
  if (typeof error === 'string' ? error === '' : error === null || typeof error !== 'object')
    return undefined;
  const code = typeof error === 'object' ? (error as { code?: unknown }).code : undefined;
  const status = typeof code === 'number' && code >= 400 && code <= 599 ? code : 502;
  return decodeError(status, utf8Text(answer.raw));
}
