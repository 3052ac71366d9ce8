/**
 * Reads the commonest event of an Anthropic stream, a plain text delta, without JSON.parse: a
 * stream is mostly these, and parsing each into objects was the largest cost of a translated
 * stream (docs/PERFORMANCE.md, fix 26). Only the exact compact shape the API sends matches; anything
 * else (other whitespace, key order, extra keys, invalid JSON) returns undefined and takes the
 * general path, so the result is always what JSON.parse would have given.
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
