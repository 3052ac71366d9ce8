import type { ServerResponse } from 'node:http';
import type { RelayResult, RoutedCall } from './call';
import type { FormatId, IRError } from './formats/ir';
import { codecFor } from './formats/registry';
import { truncatedError } from './formats/truncated';
import { startStream, write } from './respond';
import { streamTap } from './stream-tap';
import { readWholeAnswer, streamBroke } from './upstream/answer';
import type { UpstreamAnswer } from './upstream/dispatched-answer';
import { readCapped } from './upstream/http';

const FORWARDED_RESPONSE_HEADERS = ['content-type', 'x-request-id', 'request-id'];

/**
 * The body with the model rewritten where the format keeps it (Gemini keeps it in the URL); the
 * same object when nothing changes.
 */
export function withModel(
  format: FormatId,
  body: Record<string, unknown>,
  model: string,
): Record<string, unknown> {
  return format === 'gemini' || body.model === model ? body : { ...body, model };
}

const MODEL_KEY = '"model"';

/**
 * Whether the client's own bytes can go upstream in place of the parsed body serialized again (which
 * for a 1 MB prompt costs as much as parsing it). Only when no upstream parser could read another
 * model than the proxy routed by: one literal "model" at most (a duplicate key could resolve to
 * another value under a first-wins parser) and no \u escape (which could spell a second one). Not
 * with a byte order mark, which this proxy skips but an upstream may refuse.
 */
export function forwardableAsIs(raw: Buffer): boolean {
  if (raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf) return false;
  const at = raw.indexOf(MODEL_KEY);
  return (at === -1 || raw.indexOf(MODEL_KEY, at + MODEL_KEY.length) === -1) && raw.indexOf('\\u') === -1;
}

function forwardHeaders(res: ServerResponse, upstream: UpstreamAnswer): void {
  res.statusCode = upstream.statusCode;
  for (const name of FORWARDED_RESPONSE_HEADERS) {
    const value = upstream.headers[name];
    if (typeof value === 'string') res.setHeader(name, value);
  }
}

/**
 * Same format on both sides: the body goes upstream with only the model rewritten, and the answer
 * is relayed byte for byte. Usage is still read for accounting, from a side parse of the stream's
 * first and last events (see stream-tap), so the relay itself never waits on JSON parsing.
 */
export async function relayPassthrough(
  res: ServerResponse,
  call: RoutedCall,
  upstream: UpstreamAnswer,
): Promise<RelayResult> {
  const outcome: RelayResult = { status: upstream.statusCode };
  if (!call.stream) {
    // Read whole before answering: a torn or non-JSON body must become an error, not a 200.
    const answer = await readWholeAnswer(upstream.body, codecFor(call.route.descriptor.format).decodeError);
    if (call.signal.aborted) return outcome;
    if ('error' in answer) return { status: answer.error.status, unusable: answer.error };
    forwardHeaders(res, upstream);
    res.end(answer.raw);
    try {
      outcome.usage = codecFor(call.format).decodeResponseUsage(answer.json);
    } catch {
      // a body the codec cannot read is still relayed as-is; only accounting misses it
    }
    return outcome;
  }

  forwardHeaders(res, upstream);
  startStream(res, call.format, call.sse);
  const tap = streamTap(call.format, call.sse);
  let failed: unknown;
  try {
    for await (const chunk of upstream.body) {
      const drained = write(res, chunk as Buffer, call.signal);
      tap.feed(chunk as Buffer);
      if (drained) await drained;
    }
  } catch (error) {
    failed = error;
  }
  if (call.signal.aborted) return outcome;
  // A connection that breaks after the answer's last event (a server that closes without ending the
  // body) has lost nothing: the answer the client has is complete.
  if (failed && !tap.complete()) {
    const error = streamBroke(failed);
    res.end(streamErrorText(call.format, error, call.sse));
    outcome.error = error;
    return outcome;
  }
  outcome.usage = tap.usage();
  if (!tap.complete()) {
    // A clean close before the format's last event is a cut answer, not a finished one.
    const error = truncatedError("before the format's last event");
    res.end(streamErrorText(call.format, error, call.sse));
    outcome.error = error;
    return outcome;
  }
  res.end();
  return outcome;
}

/** The format's own mid-stream error event, for a relay that breaks after bytes were sent. */
export function streamErrorText(format: FormatId, error: IRError, sse: boolean): string {
  const body = JSON.stringify(codecFor(format).encodeError(error));
  switch (format) {
    case 'claude':
      return `event: error\ndata: ${body}\n\n`;
    case 'openai-responses':
      return `event: error\ndata: ${JSON.stringify({ type: 'error', code: error.code ?? 'upstream_error', message: error.message, param: null })}\n\n`;
    case 'gemini':
      return sse ? `data: ${body}\r\n\r\n` : `,\r\n${body}]`;
    default:
      return `data: ${body}\n\n`;
  }
}

/** Reads an upstream error answer into an IR error (its body in the upstream's own format). */
export async function readUpstreamError(call: RoutedCall, upstream: UpstreamAnswer): Promise<IRError> {
  const text = await readCapped(upstream.body, 64 * 1024).catch(() => '');
  // Azure OpenAI also gives the wait in milliseconds, which says it more precisely.
  const retryAfter =
    parseRetryAfterMs(upstream.headers['retry-after-ms']) ?? parseRetryAfter(upstream.headers['retry-after']);
  return codecFor(call.route.descriptor.format).decodeError(upstream.statusCode, text, retryAfter);
}

/** `retry-after-ms` in seconds. */
export function parseRetryAfterMs(value: string | string[] | undefined): number | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const ms = Number(value);
  return Number.isFinite(ms) && ms >= 0 ? ms / 1000 : undefined;
}

/** Retry-After in seconds, from either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}
