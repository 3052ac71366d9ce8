// Reads a V8 .cpuprofile (node --cpu-prof) of the bundled engine and says where the time went:
// self time by function, and self and inclusive time by module (the bundle's positions mapped back
// to main/…ts through its source map; dependencies by package, Node's internals by module).
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';

const NOT_WORK = new Set(['(idle)', '(program)', '(root)']);

function loadMap(bundle) {
  try {
    return new SourceMap(JSON.parse(readFileSync(`${bundle}.map`, 'utf8')));
  } catch {
    return undefined;
  }
}

/**
 * Where a frame's code lives, readably: [module, line] (bundle positions mapped to main/…ts). `maps`
 * caches each bundle's source map across calls.
 */
export function locate(url, line, column, maps) {
  if (!url) return ['(native)', 0];
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return [pkg[1], line + 1];
  if (url.startsWith('node:')) return [url.replace(/^node:internal\//, 'node:'), line + 1];
  const bundle = url.replace(/^file:\/\//, '');
  if (!maps.has(bundle)) maps.set(bundle, loadMap(bundle));
  const entry = maps.get(bundle)?.findEntry(line, column);
  if (!entry?.originalSource) return [url.replace(`file://${process.cwd()}/`, ''), line + 1];
  return [entry.originalSource.replace(/^.*?\/(main|shared)\//, '$1/'), entry.originalLine + 1];
}

/**
 * A profile's busy time in ms, and its self and inclusive time (ms) by function and by module, each a
 * Map from a readable name ("fn main/engine/x.ts:12", "undici", "node:events") to milliseconds.
 * `window` ({ from, to } in µs of the monotonic clock, as `process.hrtime.bigint() / 1000n` reads it
 * in any process on the machine) keeps only the samples taken inside it: a profile also covers the
 * process's startup and shutdown, which must not be divided among the requests measured.
 */
export function profileTimes(path, window) {
  const profile = JSON.parse(readFileSync(path, 'utf8'));
  const maps = new Map();
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const info = new Map();
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber, columnNumber } = node.callFrame;
    const [module, line] = locate(url, lineNumber, columnNumber, maps);
    const name = functionName || '(anonymous)';
    info.set(node.id, {
      module,
      fn: `${name} ${module}:${line}`,
      name,
      own: /^(main|shared)\//.test(module),
    });
  }

  const selfByFn = new Map();
  const selfByModule = new Map();
  const inclusiveByModule = new Map();
  const inclusiveOwn = new Map();
  const add = (map, key, ms) => map.set(key, (map.get(key) ?? 0) + ms);
  let busy = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    at += profile.timeDeltas[i] ?? 0;
    if (window && (at < window.from || at > window.to)) return;
    const frame = info.get(id);
    if (!frame || NOT_WORK.has(frame.name)) return;
    busy += ms;
    add(selfByFn, frame.fn, ms);
    add(selfByModule, frame.module, ms);
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const frame = info.get(at);
      if (!frame || NOT_WORK.has(nodes.get(at)?.callFrame.functionName)) continue;
      if (!seen.has(frame.module)) {
        seen.add(frame.module);
        add(inclusiveByModule, frame.module, ms);
      }
      if (frame.own && !seen.has(frame.fn)) {
        seen.add(frame.fn);
        add(inclusiveOwn, frame.fn, ms);
      }
    }
  });

  return { busy, selfByFn, selfByModule, inclusiveByModule, inclusiveOwn };
}

export function summarizeProfile(path, { top = 25 } = {}) {
  const { busy, selfByFn, selfByModule, inclusiveByModule, inclusiveOwn } = profileTimes(path);
  const list = (map, n) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(
        ([key, ms]) =>
          `  ${((ms / busy) * 100).toFixed(1).padStart(5)}%  ${ms.toFixed(0).padStart(6)} ms  ${key}`,
      );
  return [
    `busy ${busy.toFixed(0)} ms (idle excluded)`,
    'self time by function:',
    ...list(selfByFn, top),
    'self time by module:',
    ...list(selfByModule, top),
    'inclusive time by module (a sample counts once per module on its stack):',
    ...list(inclusiveByModule, top),
    "inclusive time of the project's own functions:",
    ...list(inclusiveOwn, top),
  ].join('\n');
}
