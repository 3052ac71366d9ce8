import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { flameGraphSvg } from '../../bench/lib/flame-graph.mjs';

const frame = (functionName: string, url = '') => ({ functionName, url, lineNumber: 0, columnNumber: 0 });

/** root → main → (parse 3 samples, write<&> 1 sample, tiny 0 samples), idle 4, GC 2; 1 ms samples. */
function writeProfile(): string {
  const profile = {
    nodes: [
      { id: 1, callFrame: frame('(root)'), children: [2, 6, 7] },
      { id: 2, callFrame: frame('main', 'node:internal/main'), children: [3, 4, 5] },
      { id: 3, callFrame: frame('parse', 'file:///x/node_modules/undici/index.js'), children: [] },
      { id: 4, callFrame: frame('write<&>', 'node:net'), children: [] },
      { id: 5, callFrame: frame('tiny', 'node:net'), children: [] },
      { id: 6, callFrame: frame('(idle)'), children: [] },
      { id: 7, callFrame: frame('(garbage collector)'), children: [] },
    ],
    startTime: 0,
    samples: [3, 3, 6, 3, 6, 4, 6, 6, 7, 7],
    timeDeltas: Array(10).fill(1000),
  };
  const path = join(mkdtempSync(join(tmpdir(), 'flame-')), 'p.cpuprofile');
  writeFileSync(path, JSON.stringify(profile));
  return path;
}

const rectOf = (svg: string, name: string) => {
  const match = new RegExp(
    `<title>${name}[^<]*</title><rect x="([\\d.]+)" y="(\\d+)" width="([\\d.]+)"`,
  ).exec(svg);
  return match ? { x: Number(match[1]), y: Number(match[2]), width: Number(match[3]) } : undefined;
};

describe('flameGraphSvg', () => {
  it('draws each frame as wide as its time, callees above their caller, idle left out', () => {
    const svg = flameGraphSvg(writeProfile(), { title: 'test' });
    expect(svg).toContain('<title>test</title>');
    expect(svg).toContain('6 ms busy');
    const main = rectOf(svg, 'main node:main');
    const parse = rectOf(svg, 'parse undici');
    const write = rectOf(svg, 'write&#60;&#38;&#62; node:net');
    const gc = rectOf(svg, '\\(garbage collector\\) \\(native\\)');
    expect(main && parse && write && gc).toBeTruthy();
    if (!main || !parse || !write || !gc) return;
    const full = 1200 - 20;
    expect(main.width).toBeCloseTo((full * 4) / 6, 1);
    expect(gc.width).toBeCloseTo((full * 2) / 6, 1);
    expect(parse.width).toBeCloseTo((full * 3) / 6, 1);
    expect(write.width).toBeCloseTo(full / 6, 1);
    expect(parse.y).toBeLessThan(main.y);
    expect(parse.x).toBe(main.x);
    expect(write.x).toBeCloseTo(parse.x + parse.width, 1);
    expect(svg).not.toContain('(idle)');
    expect(svg).not.toContain('tiny');
    expect(svg).toContain('parse undici:1: 3.0 ms, 50.00%');
  });
});
