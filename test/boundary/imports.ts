import { readdirSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"]([^'"]+)['"]/g;
const SOURCE = /\.(?:ts|tsx|mts|cts|js|mjs|cjs)$/;
const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

export function importsOf(source: string): string[] {
  return [...source.matchAll(SPECIFIER)].map((match) => match[1] as string);
}

export function sourceFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'dist') return [];
    return statSync(path).isDirectory() ? sourceFiles(path) : SOURCE.test(name) ? [path] : [];
  });
}

export interface Violation {
  file: string;
  specifier: string;
  rule: string;
}

/** The project's import rules, applied to one file given its path relative to the repo root. */
export function checkFile(root: string, file: string, source: string): Violation[] {
  const rel = relative(root, file).split(sep).join('/');
  const violations: Violation[] = [];
  for (const specifier of importsOf(source)) {
    const isElectron = specifier === 'electron' || specifier.startsWith('electron/');
    if (isElectron && !rel.startsWith('main/app/')) {
      violations.push({ file: rel, specifier, rule: "only main/app/ may import 'electron'" });
    }
    if (rel.startsWith('shared/') || rel.startsWith('renderer/')) {
      if (builtins.has(specifier) || builtins.has(specifier.split('/')[0] ?? '')) {
        violations.push({
          file: rel,
          specifier,
          rule: 'shared/ and renderer/ must not import node builtins',
        });
      }
      if (specifier.startsWith('.')) {
        const target = relative(root, resolve(dirname(file), specifier))
          .split(sep)
          .join('/');
        if (target === 'main' || target.startsWith('main/')) {
          violations.push({ file: rel, specifier, rule: 'shared/ and renderer/ must not import main/' });
        }
      }
    }
  }
  return violations;
}
