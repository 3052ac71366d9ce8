import type { Dispatcher } from 'undici';
import type { IRError } from '../formats/ir';
import { describeNetworkError, isTimeout } from './http';

/** The biggest non-stream answer the proxy holds in memory before it gives up on it. */
export const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

export type WholeAnswer = { raw: Buffer; json: unknown } | { error: IRError };

/**
 * Reads a whole non-stream upstream answer and parses it as JSON before any byte reaches the client,
 * so a body that breaks off, stalls, overflows or is not JSON becomes a clear error in the client's
 * format instead of a 200 with a torn body.
 */
export async function readWholeAnswer(
  body: Dispatcher.ResponseData['body'],
  maxBytes = MAX_ANSWER_BYTES,
): Promise<WholeAnswer> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) {
        body.destroy();
        return { error: badAnswer(`the answer is larger than ${Math.round(maxBytes / 1024 / 1024)} MB`) };
      }
      chunks.push(chunk as Buffer);
    }
  } catch (error) {
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
  const raw = Buffer.concat(chunks);
  try {
    return { raw, json: JSON.parse(raw.toString('utf8')) };
  } catch (error) {
    return { error: badAnswer(`the answer is not valid JSON (${(error as Error).message})`) };
  }
}

export function badAnswer(message: string): IRError {
  return { status: 502, kind: 'server', message: `Bad answer from upstream: ${message}` };
}
