import type { IRError } from '../formats/ir';
import { utf8Text } from '../utf8';
import { AnswerAbandoned, type AnswerBody, AnswerTooLarge } from './dispatched-answer';
import { describeNetworkError, isTimeout } from './http';

/** The biggest non-stream answer the proxy holds in memory before it gives up on it. */
export const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

export type WholeAnswer = { raw: Buffer; json: unknown } | { error: IRError };

/**
 * Reads a whole non-stream upstream answer and parses it as JSON before any byte reaches the client,
 * so a body that breaks off, stalls, overflows, is not JSON or carries an error (see errorInAnswer)
 * becomes a clear error in the client's format instead of a 200 with a torn or empty body.
 */
export function readWholeAnswer(
  body: AnswerBody,
  decodeError: ErrorDecoder,
  maxBytes = MAX_ANSWER_BYTES,
): Promise<WholeAnswer> {
  return body.whole(maxBytes).then((raw) => parsedAnswer(raw, decodeError), failedAnswer);
}

/** The upstream format's reader of error bodies (FormatCodec.decodeError). */
type ErrorDecoder = (status: number, bodyText: string) => IRError;

function parsedAnswer(raw: Buffer, decodeError: ErrorDecoder): WholeAnswer {
  let json: unknown;
  try {
    json = JSON.parse(utf8Text(raw));
  } catch (error) {
    return { error: badAnswer(`the answer is not valid JSON (${(error as Error).message})`) };
  }
  const refusal = errorInAnswer(json, raw, decodeError);
  return refusal ? { error: refusal } : { raw, json };
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
export function errorInAnswer(json: unknown, raw: Buffer, decodeError: ErrorDecoder): IRError | undefined {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return undefined;
  const error = (json as { error?: unknown }).error;
  if (typeof error === 'string' ? error === '' : error === null || typeof error !== 'object')
    return undefined;
  const code = typeof error === 'object' ? (error as { code?: unknown }).code : undefined;
  const status = typeof code === 'number' && code >= 400 && code <= 599 ? code : 502;
  return decodeError(status, utf8Text(raw));
}

/** A stream that broke after it started, as the error its client is told (504 when it timed out). */
export function streamBroke(error: unknown): IRError {
  const timedOut = isTimeout(error);
  return {
    status: timedOut ? 504 : 502,
    kind: timedOut ? 'timeout' : 'server',
    message: `The upstream stream broke: ${describeNetworkError(error)}`,
  };
}
