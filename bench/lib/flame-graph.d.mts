/** The flame graph of a .cpuprofile as SVG text (see flame-graph.mjs). */
export function flameGraphSvg(
  path: string,
  options?: { title?: string; window?: { from: number; to: number }; minPx?: number },
): string;
