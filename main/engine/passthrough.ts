import type { ServerResponse } from 'node:http';
import { createParser } from 'eventsource-parser';
import type { RelayResult, RoutedCall } from './call';
import type { FormatCodec, FormatId, IRError, SseMessage, Usage } from './formats/ir';
import { codecFor } from './formats/registry';
import { truncatedError } from './formats/truncated';
import { sendFormatError, startStream, write } from './respond';
import { readWholeAnswer } from './upstream/answer';
import type { UpstreamAnswer } from './upstream/dispatched-answer';
import { describeNetworkError, isTimeout, readCapped } from './upstream/http';
import { Utf8StreamDecoder } from './upstream/utf8-stream';

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
 * another value under a first-wins parser) and no \u escape (which could spell a second one).
 */
export function forwardableAsIs(raw: Buffer): boolean {
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
 * is relayed byte for byte. Usage is still read for accounting, from a side parse that looks only
 * at events mentioning usage, so the relay itself never waits on JSON parsing.
 */
export async function relayPassthrough(
  res: ServerResponse,
  call: RoutedCall,
  upstream: UpstreamAnswer,
): Promise<RelayResult> {
  const outcome: RelayResult = { status: upstream.statusCode };
  if (!call.stream) {
    // Read whole before answering: a torn or non-JSON body must become an error, not a 200.
    const answer = await readWholeAnswer(upstream.body);
    if (call.signal.aborted) return outcome;
    if ('error' in answer) {
      sendFormatError(res, call.format, answer.error);
      return { status: answer.error.status, error: answer.error };
    }
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
  if (failed) {
    const timedOut = isTimeout(failed);
    const error: IRError = {
      status: timedOut ? 504 : 502,
      kind: timedOut ? 'timeout' : 'server',
      message: `The upstream stream broke: ${describeNetworkError(failed)}`,
    };
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

const FINISH_REASON = /"finish_reason"\s*:\s*"/;
/**
 * An event that carries usage: "usage" (OpenAI, Anthropic, Responses) or "usageMetadata" (Gemini)
 * holding an object. OpenAI sends `"usage":null` in every chunk of a stream that asked for usage;
 * those, and text that merely mentions a message, are not parsed.
 */
const USAGE_OBJECT = /"usage(?:Metadata)?"\s*:\s*\{/;

/** Whether a relayed event is worth decoding for its usage. */
export function carriesUsage(data: string): boolean {
  return USAGE_OBJECT.test(data);
}
const GEMINI_FINISH = /"finishReason"\s*:/;
const TOP_LEVEL_ERROR = /^\s*\{\s*"error"\s*:/;
const TYPE_FIELD = /"type"\s*:\s*"([^"\\]+)"/g;
const LAST_EVENT: Partial<Record<FormatId, RegExp>> = {
  claude: /^(message_stop|error)$/,
  'openai-responses': /^(response\.(completed|incomplete|failed)|error)$/,
};

/**
 * Whether a relayed event is one that ends the answer (its finish, or an error), judged from the
 * raw text so the relay needs no JSON parse. Keys cannot be faked from inside JSON strings, where
 * quotes are escaped.
 */
export function endsAnswer(format: FormatId, message: SseMessage): boolean {
  const { data } = message;
  switch (format) {
    case 'openai-chat':
      return FINISH_REASON.test(data) || TOP_LEVEL_ERROR.test(data);
    case 'gemini':
      return GEMINI_FINISH.test(data) || TOP_LEVEL_ERROR.test(data);
    default: {
      const last = LAST_EVENT[format];
      if (!last) return true;
      if (message.event) return last.test(message.event);
      for (const match of data.matchAll(TYPE_FIELD)) if (last.test(match[1] ?? '')) return true;
      return false;
    }
  }
}

/**
 * Watches a relayed stream from the side: reads usage from the events that carry it (decoded),
 * and notes whether the answer's last event came. Gemini's non-SSE stream is one JSON array,
 * complete when it is closed.
 */
function streamTap(format: FormatId, sse: boolean) {
  let decoder: ReturnType<FormatCodec['createStreamDecoder']> | undefined;
  try {
    decoder = codecFor(format).createStreamDecoder();
  } catch {
    decoder = undefined; // no decoder for this format: relay without accounting
  }
  const text = new Utf8StreamDecoder();
  let usage: Usage | undefined;
  let ended = false;
  let lastChar = '';
  const parser = createParser({
    onEvent(message) {
      if (endsAnswer(format, message)) ended = true;
      if (!decoder || !carriesUsage(message.data)) return;
      try {
        for (const event of decoder.push({ event: message.event, data: message.data })) {
          if (event.type === 'usage') usage = { ...usage, ...event.usage };
        }
      } catch {
        // accounting is best effort; the relay is what the client gets
      }
    },
  });
  const jsonArray = format === 'gemini' && !sse;
  return {
    feed(chunk: Uint8Array) {
      const piece = text.write(chunk);
      if (jsonArray) lastChar = piece.trimEnd().at(-1) ?? lastChar;
      parser.feed(piece);
    },
    usage: () => usage,
    complete: () => (jsonArray ? lastChar === ']' : ended),
  };
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
  const retryAfter = parseRetryAfter(upstream.headers['retry-after']);
  return codecFor(call.route.descriptor.format).decodeError(upstream.statusCode, text, retryAfter);
}

/** Retry-After in seconds, from either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}
