// Walking and editing parsed JSON, for the tests that replace one value at a time.

/** Every path into a JSON value, the root excluded. */
export function pathsOf(
  node: unknown,
  path: Array<string | number> = [],
  out: Array<Array<string | number>> = [],
): Array<Array<string | number>> {
  if (path.length > 0) out.push(path);
  if (node && typeof node === 'object')
    for (const [key, child] of Object.entries(node))
      pathsOf(child, [...path, Array.isArray(node) ? Number(key) : key], out);
  return out;
}

/** A copy of `body` with the value at `path` replaced. */
export function withValueAt(body: unknown, path: Array<string | number>, value: unknown): unknown {
  const copy = structuredClone(body) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path.at(-1) as string | number] = value;
  return copy;
}

/** An error's first stack line and where it was thrown, for a failure list. */
export const stackHead = (error: unknown): string =>
  String(error instanceof Error ? error.stack : error)
    .split('\n')
    .slice(0, 2)
    .join(' ');
