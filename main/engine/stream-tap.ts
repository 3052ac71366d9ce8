import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { FormatCodec, FormatId, SseMessage, Usage } from './formats/ir';
import { codecFor } from './formats/registry';
import { Utf8StreamDecoder } from './upstream/utf8-stream';

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
 * Every format puts what accounting needs at the two ends of a stream: Anthropic's input tokens in
 * its first event, and the finish, the error and the final usage (OpenAI's usage chunk and [DONE],
 * Anthropic's message_delta and message_stop, Responses' response.completed, Gemini's last chunk with
 * its cumulative usageMetadata) in the last few. The middle is only relayed, never read.
 */
const HEAD_EVENTS = 2;
const TAIL_EVENTS = 4;
/** A stream whose reads never hold a blank line (an unusual line ending) is parsed whole past this. */
const UNFRAMED_LIMIT = 1024 * 1024;

export interface StreamTap {
  feed(chunk: Buffer): void;
  usage(): Usage | undefined;
  complete(): boolean;
}

/**
 * Watches a relayed stream from the side: reads usage from the events that carry it (decoded), and
 * notes whether the answer's last event came. Only the stream's first events are parsed as they
 * pass; after them the tap keeps the last reads that hold its last few events (a byte compare per
 * read, see TailWindow) and parses those once, when the stream ends. Gemini's non-SSE stream is one
 * JSON array, complete when it is closed.
 */
export function streamTap(format: FormatId, sse: boolean): StreamTap {
  if (!sse) return jsonArrayTap();
  let decoder: ReturnType<FormatCodec['createStreamDecoder']> | undefined;
  try {
    decoder = codecFor(format).createStreamDecoder();
  } catch {
    decoder = undefined; // no decoder for this format: relay without accounting
  }
  let usage: Usage | undefined;
  let ended = false;
  let events = 0;
  const onEvent = (message: EventSourceMessage) => {
    events++;
    if (endsAnswer(format, message)) ended = true;
    if (!decoder || !carriesUsage(message.data)) return;
    try {
      for (const event of decoder.push({ event: message.event, data: message.data })) {
        if (event.type === 'usage') usage = { ...usage, ...event.usage };
      }
    } catch {
      // accounting is best effort; the relay is what the client gets
    }
  };
  const text = new Utf8StreamDecoder();
  const head = createParser({ onEvent });
  let crlf = false;
  /** Set once the head is read; undefined again if the stream turns out to need parsing whole. */
  let tail: TailWindow | undefined;
  let whole = false;
  let settled = false;

  const settle = () => {
    if (settled) return;
    settled = true;
    if (!tail) return;
    const start = tail.lastEventsStart();
    if (start === undefined) {
      // The window still joins the head's bytes: carry on where the head parser stopped.
      for (const chunk of tail.chunks) head.feed(text.write(chunk));
    } else {
      createParser({ onEvent }).feed(start.toString('utf8'));
    }
  };

  return {
    feed(chunk) {
      if (tail) {
        tail.push(chunk);
        if (!tail.trimmed && tail.bytes > UNFRAMED_LIMIT) {
          for (const held of tail.chunks) head.feed(text.write(held));
          tail = undefined;
          whole = true;
        }
        return;
      }
      const piece = text.write(chunk);
      head.feed(piece);
      if (whole) return;
      crlf ||= piece.includes('\r');
      if (events >= HEAD_EVENTS) tail = new TailWindow(crlf ? CRLF_BLANK_LINE : LF_BLANK_LINE, TAIL_EVENTS);
    },
    usage: () => {
      settle();
      return usage;
    },
    complete: () => {
      settle();
      return ended;
    },
  };
}

const LF_BLANK_LINE = Buffer.from('\n\n');
const EMPTY = Buffer.alloc(0);
/** A CRLF stream's blank line, found by its last three bytes whether the line before ends in CRLF or LF. */
const CRLF_BLANK_LINE = Buffer.from('\n\r\n');

/** Whether a read ends on the blank line that closes an event, as an upstream writing whole events sends them. */
function endsOnBlankLine(chunk: Buffer, blankLine: Buffer): boolean {
  const offset = chunk.length - blankLine.length;
  if (offset < 0) return false;
  for (let i = 0; i < blankLine.length; i++) if (chunk[offset + i] !== blankLine[i]) return false;
  return true;
}

/**
 * The last reads of a stream, enough of them that at least `events + 1` hold a blank line, so the
 * bytes after the earliest of those blank lines hold the last `events` events whole. A read that
 * ends on a blank line is known to hold one without a search.
 */
class TailWindow {
  private held: Buffer[] = [];
  private framed: boolean[] = [];
  private first = 0;
  private framedCount = 0;
  bytes = 0;
  trimmed = false;

  /** `events`: how many of the stream's last events the window must hold whole. */
  constructor(
    private readonly blankLine: Buffer,
    private readonly events: number,
  ) {}

  get chunks(): Buffer[] {
    return this.first === 0 ? this.held : this.held.slice(this.first);
  }

  push(chunk: Buffer): void {
    const { blankLine, events } = this;
    const framed = endsOnBlankLine(chunk, blankLine) || chunk.lastIndexOf(blankLine) !== -1;
    this.held.push(chunk);
    this.framed.push(framed);
    this.bytes += chunk.length;
    if (framed) this.framedCount++;
    while (this.framedCount - (this.framed[this.first] ? 1 : 0) > events) {
      this.bytes -= (this.held[this.first] as Buffer).length;
      if (this.framed[this.first]) this.framedCount--;
      // A read is a view of the socket's buffer: let it go now, not at the next compaction.
      this.held[this.first] = EMPTY;
      this.first++;
      this.trimmed = true;
    }
    if (this.first >= 32) {
      this.held = this.held.slice(this.first);
      this.framed = this.framed.slice(this.first);
      this.first = 0;
    }
  }

  /**
   * The bytes from the start of the last `events` events, or undefined when the window has not been
   * trimmed (it then follows on from the bytes before it).
   */
  lastEventsStart(): Buffer | undefined {
    if (!this.trimmed) return undefined;
    const { blankLine, events } = this;
    const chunks = this.chunks;
    const joined = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, this.bytes);
    let end = joined.length;
    let at = -1;
    // The stream's own last blank line, if it ends on one, closes the last event rather than opening one.
    for (let found = 0; found <= events && end > 0; found++) {
      const next = joined.lastIndexOf(blankLine, end - 1);
      if (next === -1) break;
      at = next;
      end = next;
    }
    return at === -1 ? joined : joined.subarray(at + blankLine.length);
  }
}

/**
 * Gemini's non-SSE stream: one JSON array, whole once its closing bracket came. Its usage is not read
 * (an array is not split into events here); accounting records the request without tokens.
 */
function jsonArrayTap(): StreamTap {
  const text = new Utf8StreamDecoder();
  let lastChar = '';
  return {
    feed(chunk) {
      lastChar = text.write(chunk).trimEnd().at(-1) ?? lastChar;
    },
    usage: () => undefined,
    complete: () => lastChar === ']',
  };
}
