import type { NewProvider } from '../../../../shared/contract';

/**
 * The form's models box: one model per line, optionally `name as alias` (or `name = alias`);
 * blank lines and surrounding spaces are ignored.
 */
export function parseModelLines(text: string): NewProvider['models'] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const match = /^(\S+)\s+(?:as|=)\s+(\S+)$/.exec(line) ?? /^(\S+?)=(\S+)$/.exec(line);
      return match ? { name: match[1] ?? line, alias: match[2] ?? '' } : { name: line };
    });
}
