// A flame graph of a V8 .cpuprofile as one self-contained SVG: the call tree with the root at the
// bottom, each frame as wide as the time spent in it and its callees, hover for the figures.
// Frames are named like the profile summaries (function, and main/…ts:line through the source map),
// coloured by where the code lives: the project's own, Node's internals, a dependency, native/GC.
import { readFileSync } from 'node:fs';
import { locate } from './cpu-profile.mjs';

const NOT_WORK = new Set(['(idle)', '(program)', '(root)']);
const WIDTH = 1200;
const ROW = 17;
const MARGIN = 10;
const TITLE_SPACE = 34;
const CHAR_PX = 6.6;

function escapeXml(text) {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A stable small number from a name, to vary shades within a colour family. */
function shade(name) {
  let hash = 0;
  for (let i = 0; i < name.length; i++) hash = (hash * 31 + name.charCodeAt(i)) >>> 0;
  return hash % 40;
}

function colour(module, name) {
  const s = shade(name);
  if (/^(main|shared)\//.test(module)) return `rgb(240,${110 + s},${40 + s})`; // the project: orange
  if (module.startsWith('node:')) return `rgb(230,${200 + s / 2},${70 + s})`; // Node: yellow
  if (module === '(native)') return `rgb(${190 + s},${90 + s},${90 + s})`; // native and GC: red
  return `rgb(${90 + s},${190 + s / 2},${110 + s})`; // dependencies: green
}

/**
 * Builds the tree: each profile node's time (its own samples plus its callees'), the idle and
 * program samples left out. `window` ({ from, to } in µs) keeps the samples inside it.
 */
function timedTree(profile, window) {
  const byId = new Map(profile.nodes.map((node) => [node.id, { node, self: 0, total: 0 }]));
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (window && (at < window.from || at > window.to)) return;
    const entry = byId.get(id);
    if (entry && !NOT_WORK.has(entry.node.callFrame.functionName)) entry.self += delta / 1000;
  });
  const total = (entry) => {
    entry.total = entry.self;
    for (const child of entry.node.children ?? []) {
      const childEntry = byId.get(child);
      if (childEntry) entry.total += total(childEntry);
    }
    return entry.total;
  };
  const root = byId.get(profile.nodes[0]?.id);
  if (root) total(root);
  return { root, byId };
}

/**
 * The SVG text. Frames narrower than `minPx` pixels are left out (their time still counts in their
 * parent's width), which keeps a long profile's graph small enough to open anywhere.
 */
export function flameGraphSvg(path, { title = 'CPU flame graph', window, minPx = 0.6 } = {}) {
  const profile = JSON.parse(readFileSync(path, 'utf8'));
  const { root, byId } = timedTree(profile, window);
  const busy = root?.total ?? 0;
  const maps = new Map();
  const frames = [];
  let depthMax = 0;
  const scale = busy > 0 ? (WIDTH - 2 * MARGIN) / busy : 0;
  const place = (entry, x, depth) => {
    let childX = x;
    for (const child of entry.node.children ?? []) {
      const childEntry = byId.get(child);
      if (!childEntry || childEntry.total * scale < minPx) {
        if (childEntry) childX += childEntry.total * scale;
        continue;
      }
      const { functionName, url, lineNumber, columnNumber } = childEntry.node.callFrame;
      const [module, line] = locate(url, lineNumber, columnNumber, maps);
      const name = `${functionName || '(anonymous)'} ${module}${line ? `:${line}` : ''}`;
      frames.push({ x: childX, depth, width: childEntry.total * scale, name, module, ms: childEntry.total });
      depthMax = Math.max(depthMax, depth + 1);
      place(childEntry, childX, depth + 1);
      childX += childEntry.total * scale;
    }
  };
  if (root) place(root, MARGIN, 0);
  const height = TITLE_SPACE + depthMax * ROW + MARGIN;
  const rects = frames.map(({ x, depth, width, name, module, ms }) => {
    const y = height - MARGIN - (depth + 1) * ROW;
    const label = width > 3 * CHAR_PX ? name.slice(0, Math.floor((width - 6) / CHAR_PX)) : '';
    const share = ((ms / busy) * 100).toFixed(2);
    return (
      `<g><title>${escapeXml(`${name}: ${ms.toFixed(1)} ms, ${share}%`)}</title>` +
      `<rect x="${x.toFixed(2)}" y="${y}" width="${width.toFixed(2)}" height="${ROW - 1}" fill="${colour(module, name)}"/>` +
      (label ? `<text x="${(x + 3).toFixed(2)}" y="${y + ROW - 5}">${escapeXml(label)}</text>` : '') +
      '</g>'
    );
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="monospace" font-size="11">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="100%" height="100%" fill="#fdfdf8"/>`,
    `<text x="${MARGIN}" y="20" font-size="14">${escapeXml(`${title} — ${busy.toFixed(0)} ms busy; orange: the project, yellow: Node, green: dependencies, red: native and GC`)}</text>`,
    ...rects,
    '</svg>',
  ].join('\n');
}
