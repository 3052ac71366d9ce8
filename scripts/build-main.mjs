// Bundles the main-process entry points with esbuild (dependencies stay external in node_modules).
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const quiet = process.argv.includes('--quiet');
const started = Date.now();

await build({
  entryPoints: { cli: 'main/cli-entry.ts', 'usage-writer': 'main/metrics/usage-writer.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  packages: 'external',
  sourcemap: true,
  define: { __CLIPROXY_VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
});

if (!quiet) console.error(`built dist/ in ${Date.now() - started} ms`);
