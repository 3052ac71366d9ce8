// What the *-diff benchmarks share: the json pipe and the engine measured one after the other
// against one mock upstream, and a table of the engine's excess over the pipe, largest first.
import { startEngine, startJsonPipe, startMock } from './processes.mjs';

/** The two sides every diff compares; `target` names the engine's scenario (passthrough|translation). */
export function diffSides(target) {
  return [
    { label: 'json pipe', start: startJsonPipe, target: 'json pipe' },
    { label: 'engine', start: startEngine, target: `engine ${target}` },
  ];
}

/** Runs `measureSide(side, mock)` for each side in turn against one mock; resolves [base, engine]. */
export async function measureSides(sides, measureSide) {
  const mock = await startMock();
  try {
    const results = [];
    for (const side of sides) results.push(await measureSide(side, mock));
    return results;
  } finally {
    await mock.stop();
  }
}

/** Rows of "excess, base, other  key" for the `top` keys where `other` exceeds `base` most. */
export function differences(base, other, top, digits = 1) {
  return [...new Set([...base.keys(), ...other.keys()])]
    .map((key) => ({ key, base: base.get(key) ?? 0, other: other.get(key) ?? 0 }))
    .map((row) => ({ ...row, extra: row.other - row.base }))
    .sort((a, b) => b.extra - a.extra)
    .slice(0, top)
    .map(
      (row) =>
        `${[row.extra, row.base, row.other].map((v) => v.toFixed(digits).padStart(7)).join(' ')}  ${row.key}`,
    );
}

/**
 * The report every diff prints: its heading lines, then the engine's excess by module (under
 * `unit`) and by function. `base` and `other` each hold `byModule` and `byFunction` maps.
 */
export function excessReport(heading, unit, base, other, top, digits = 1) {
  return [
    ...heading,
    '',
    `${unit}: engine − json pipe, json pipe, engine — by module`,
    ...differences(base.byModule, other.byModule, top, digits),
    '',
    'by function',
    ...differences(base.byFunction, other.byFunction, top, digits),
    '',
  ].join('\n');
}
