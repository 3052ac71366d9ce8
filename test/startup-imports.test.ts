import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, repoRoot } from './helpers/process';

// What `cliproxy serve` loads before its first request is what dist/cli.mjs imports statically,
// directly or through its chunks. undici, Express and prom-client cost about 23 MB resident
// together and are loaded on first use (docs/PERFORMANCE.md, Memory).
const LOADED_ON_FIRST_USE = ['undici', 'express', 'prom-client'];

function importsOf(file: string): { static: string[]; dynamic: string[] } {
  const code = readFileSync(join(repoRoot, 'dist', file), 'utf8');
  const staticImports = [
    ...code.matchAll(/^(?:import|export)\b[^;'"]*?from\s*"([^"]+)"|^import\s*"([^"]+)"/gm),
  ];
  const dynamicImports = [...code.matchAll(/\bimport\("([^"]+)"\)/g)];
  return {
    static: staticImports.map((m) => m[1] ?? m[2] ?? ''),
    dynamic: dynamicImports.map((m) => m[1] ?? ''),
  };
}

/** Every module loaded with `file`, and the specifiers its code can import later. */
function graph(entry: string): { atStartup: Set<string>; later: Set<string> } {
  const atStartup = new Set<string>();
  const later = new Set<string>();
  const visit = (file: string, into: Set<string>) => {
    const imports = importsOf(file);
    follow(imports.static, into);
    follow(imports.dynamic, later);
  };
  /** Packages go into the set; chunks too, and what they import is visited in turn. */
  const follow = (specifiers: string[], into: Set<string>) => {
    for (const specifier of specifiers) {
      const chunk = specifier.startsWith('./') ? specifier.slice(2) : undefined;
      if (into.has(chunk ?? specifier)) continue;
      into.add(chunk ?? specifier);
      if (chunk) visit(chunk, into);
    }
  };
  visit(entry, atStartup);
  return { atStartup, later };
}

describe('the built CLI', () => {
  beforeAll(() => buildCli());

  it('does not load undici, Express or prom-client at startup, only when first needed', () => {
    const { atStartup, later } = graph('cli.mjs');
    expect([...atStartup].some((s) => s.startsWith('chunk-'))).toBe(true); // the walk follows chunks
    expect(atStartup).toContain('yaml'); // and sees the packages they import
    for (const name of LOADED_ON_FIRST_USE) {
      expect(atStartup, `${name} is loaded at startup`).not.toContain(name);
      expect(later, `${name} is never loaded`).toContain(name);
    }
  });
});
