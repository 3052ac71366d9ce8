import type { Dispatcher } from 'undici';
import type { IRError } from '../formats/ir';
import { utf8Text } from '../utf8';
import { describeNetworkError, isTimeout } from './http';

/** The biggest non-stream answer the proxy holds in memory before it gives up on it. */
export const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

export type WholeAnswer = { raw: Buffer; json: unknown } | { error: IRError };

/**
 * Reads a whole non-stream upstream answer and parses it as JSON before any byte reaches the client,
 * so a body that breaks off, stalls, overflows or is not JSON becomes a clear error in the client's
 * format instead of a 200 with a torn body.
 */
export function readWholeAnswer(
  body: Dispatcher.ResponseData['body'],
  maxBytes = MAX_ANSWER_BYTES,
): Promise<WholeAnswer> {
  // Listeners rather than for-await: an async iterator per answer costs more than reading a small one;
  // `on` rather than `once` (each of these fires at most once, and `once` wraps every listener).
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (answer: WholeAnswer) => {
      if (settled) return;
      settled = true;
      body.off('data', onData);
      resolve(answer);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        settle({ error: badAnswer(`the answer is larger than ${Math.round(maxBytes / 1024 / 1024)} MB`) });
        body.destroy();
        return;
      }
      chunks.push(chunk);
    };
    body.on('data', onData);
    body.on('end', () => {
      const raw = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size);
      try {
        settle({ raw, json: JSON.parse(utf8Text(raw)) });
      } catch (error) {
        settle({ error: badAnswer(`the answer is not valid JSON (${(error as Error).message})`) });
      }
    });
    body.on('error', (error) => {
      if (isTimeout(error)) {
        settle({
          error: {
            status: 504,
            kind: 'timeout',
            message: `The upstream answer stopped before it was complete: ${describeNetworkError(error)}`,
          },
        });
      } else settle({ error: badAnswer(`the answer broke off: ${describeNetworkError(error)}`) });
    });
    // Destroyed without an error (the client went away, the total timeout): nothing more will come.
    body.on('close', () => settle({ error: badAnswer('the answer broke off') }));
  });
}

export function badAnswer(message: string): IRError {
  return { status: 502, kind: 'server', message: `Bad answer from upstream: ${message}` };
}
