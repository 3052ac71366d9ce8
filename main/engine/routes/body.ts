import { FormatError } from '../formats/ir';
import { utf8Text } from '../utf8';

/**
 * Parses the raw request body (a Buffer; anything else counts as empty) as a JSON object, or throws
 * a FormatError the route renders as 400.
 */
export function jsonBody(raw: unknown): Record<string, unknown> {
  let text = Buffer.isBuffer(raw) ? utf8Text(raw) : '';
  // A UTF-8 byte order mark, as editors on Windows save JSON files that `curl -d @file` then sends.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') throw new FormatError('The request body is empty: send a JSON object.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new FormatError(`The request body is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new FormatError('The request body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}
