import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isMap, isNode, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { z } from 'zod';
import type { ConfigIssue } from '../../shared/status';
import { type Config, configSchema } from './schema';

export type { ConfigIssue };

export type LoadResult =
  | { ok: true; config: Config; hash: string }
  | { ok: false; issues: ConfigIssue[]; hash: string };

/** Values given on the command line; they win over the file on every load. */
export interface ConfigOverrides {
  host?: string;
  port?: number;
  /** Used only while the file sets no management_secret (the headless dashboard's session secret). */
  fallbackManagementSecret?: string;
}

export function hashText(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function parseConfigText(text: string, overrides: ConfigOverrides = {}): LoadResult {
  const hash = hashText(text);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      hash,
      issues: doc.errors.map((error) => {
        const pos = lineCounter.linePos(error.pos[0]);
        return { path: '', line: pos.line, col: pos.col, message: firstLine(error.message) };
      }),
    };
  }
  const raw: unknown = doc.toJS() ?? {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return {
      ok: false,
      hash,
      issues: [{ path: '', line: 1, col: 1, message: 'the config must be a mapping of keys' }],
    };
  }
  const input: Record<string, unknown> = { ...raw };
  if (overrides.host !== undefined) input.host = overrides.host;
  if (overrides.port !== undefined) input.port = overrides.port;
  if (overrides.fallbackManagementSecret && input.management_secret === undefined)
    input.management_secret = overrides.fallbackManagementSecret;
  const parsed = configSchema.safeParse(input);
  if (parsed.success) return { ok: true, config: parsed.data, hash };
  return {
    ok: false,
    hash,
    issues: parsed.error.issues.flatMap((issue) => toConfigIssues(issue, doc.contents, lineCounter)),
  };
}

export interface LoadOptions {
  /**
   * Treat a blank file as invalid. A running proxy reloading a file that is suddenly empty is far
   * more likely watching a save cut short (truncate, then write) than a wish to serve nothing.
   */
  refuseBlank?: boolean;
}

export async function loadConfigFile(
  file: string,
  overrides: ConfigOverrides = {},
  options: LoadOptions = {},
): Promise<LoadResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (error as Error).message;
    return {
      ok: false,
      hash: '',
      issues: [{ path: '', line: 1, col: 1, message: `cannot read ${file}: ${reason}` }],
    };
  }
  if (options.refuseBlank && text.trim() === '') {
    return {
      ok: false,
      hash: hashText(text),
      issues: [
        { path: '', line: 1, col: 1, message: 'the file is empty; the last good config stays in effect' },
      ],
    };
  }
  return parseConfigText(text, overrides);
}

export function formatIssue(file: string, issue: ConfigIssue): string {
  const where = issue.path ? `${issue.path}: ` : '';
  return `${file}:${issue.line}:${issue.col} ${where}${issue.message}`;
}

function toConfigIssues(issue: z.core.$ZodIssue, root: unknown, lineCounter: LineCounter): ConfigIssue[] {
  const path = issue.path.filter((key): key is string | number => typeof key !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => {
      const offset = keyOffset(root, path, key) ?? nodeOffset(root, path);
      const pos = lineCounter.linePos(offset);
      return {
        path: formatPath([...path, key]),
        line: pos.line,
        col: pos.col,
        message: `unknown key ${JSON.stringify(key)}`,
      };
    });
  }
  const pos = lineCounter.linePos(nodeOffset(root, path));
  return [{ path: formatPath(path), line: pos.line, col: pos.col, message: describe(issue) }];
}

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.input === undefined) return `${issue.expected} is required`;
  if (issue.code === 'invalid_value')
    return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  return issue.message;
}

function formatPath(path: Array<string | number>): string {
  return path.reduce<string>(
    (out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${key}` : key),
    '',
  );
}

/** Offset of the deepest existing node along the path (a missing key points at its parent). */
function nodeOffset(root: unknown, path: Array<string | number>): number {
  let node: unknown = root;
  let offset = isNode(root) ? (root.range?.[0] ?? 0) : 0;
  for (const key of path) {
    const child = childOf(node, key);
    if (!child) break;
    node = child;
    offset = child.range?.[0] ?? offset;
  }
  return offset;
}

function keyOffset(root: unknown, path: Array<string | number>, key: string): number | undefined {
  let node: unknown = root;
  for (const step of path) node = childOf(node, step);
  if (!isMap(node)) return undefined;
  const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === key);
  return pair && isNode(pair.key) ? pair.key.range?.[0] : undefined;
}

function childOf(node: unknown, key: string | number): Node | undefined {
  if (isMap(node)) {
    const pair = node.items.find((item) => isScalar(item.key) && item.key.value === key);
    return isNode(pair?.value) ? pair.value : undefined;
  }
  if (isSeq(node) && typeof key === 'number') {
    const item = node.items[key];
    return isNode(item) ? item : undefined;
  }
  return undefined;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
