import { createHash, randomBytes } from 'node:crypto';

/**
 * Tool-call ids cross formats with different rules. The mappings are deterministic so that the id an
 * upstream sees on turn 1 is the same one it sees again when the client sends the result on turn 2,
 * without the proxy keeping any state between requests.
 */

const ANTHROPIC_ID = /^[a-zA-Z0-9_-]+$/;
const OPENAI_MAX_ID = 40;

function shortHash(value: string, length: number): string {
  return createHash('sha256').update(value).digest('base64url').replace(/-/g, 'x').slice(0, length);
}

/** Anthropic ids must match ^[a-zA-Z0-9_-]+$. */
export function toAnthropicId(id: string): string {
  if (ANTHROPIC_ID.test(id)) return id;
  if (id === '') return `toolu_${shortHash('empty', 16)}`;
  return `${id.replace(/[^a-zA-Z0-9_-]/g, '_')}_${shortHash(id, 6)}`;
}

/** OpenAI rejects tool call ids longer than 40 characters. */
export function toOpenAIId(id: string): string {
  if (id.length > 0 && id.length <= OPENAI_MAX_ID) return id;
  return `call_${shortHash(id, OPENAI_MAX_ID - 5)}`;
}

/** A fresh id for formats that have none (Gemini function calls without `id`). */
export function newCallId(prefix = 'call_'): string {
  return `${prefix}${randomBytes(12).toString('base64url').replace(/-/g, 'x')}`;
}

export function newResponseId(prefix: string): string {
  return `${prefix}${randomBytes(12).toString('hex')}`;
}
