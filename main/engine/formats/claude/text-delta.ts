/**
 * The commonest event of an Anthropic stream, a text delta, read and written without building
 * objects: a stream is mostly these, and parsing each was the largest cost of a translated stream
 * (docs/PERFORMANCE.md, fix 27). Reading matches only the exact compact shape the API sends;
 * anything else (other whitespace, key order, extra keys, invalid JSON) returns undefined and takes
 * the general path, so the result is always what JSON.parse would have given.
 */
const PLAIN_TEXT_DELTA =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: JSON strings cannot hold raw control characters
  /^\{"type":"content_block_delta","index":(0|[1-9]\d{0,8}),"delta":\{"type":"text_delta","text":"((?:[^"\\\u0000-\u001f]|\\.)*)"\}\}$/;

export interface PlainTextDelta {
  index: number;
  text: string;
}

export function plainTextDelta(data: string): PlainTextDelta | undefined {
  const match = PLAIN_TEXT_DELTA.exec(data);
  if (!match) return undefined;
  const literal = match[2] as string;
  if (!literal.includes('\\')) return { index: Number(match[1]), text: literal };
  try {
    // Escapes are JSON's to resolve (and to reject: `\x` is not one).
    return { index: Number(match[1]), text: JSON.parse(`"${literal}"`) as string };
  } catch {
    return undefined;
  }
}

/** The SSE event `sse({ type: 'content_block_delta', index, delta: { type, [field]: text } })` writes. */
export function textDeltaEvent(index: number, kind: 'text' | 'thinking', text: string): string {
  const delta = kind === 'text' ? '"type":"text_delta","text"' : '"type":"thinking_delta","thinking"';
  return `event: content_block_delta\ndata: {"type":"content_block_delta","index":${index},"delta":{${delta}:${JSON.stringify(text)}}}\n\n`;
}
