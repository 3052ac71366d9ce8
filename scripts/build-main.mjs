// Bundles the main-process entry points with esbuild:
// - dist/cli.mjs, dist/start.mjs, dist/usage-writer.mjs: the CLI, `npm start`'s launcher and the usage
//   log's worker (dependencies stay external in node_modules);
// - dist/main/app.mjs (+ its worker) and dist/main/preload.cjs: the Electron app, fully bundled so the
//   package needs no node_modules; the preload is one CommonJS file, as sandboxed preloads must be.
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const quiet = process.argv.includes('--quiet');
const started = Date.now();
const common = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  sourcemap: true,
  define: { __CLIPROXY_VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
};
// Bundled CommonJS dependencies call require(); ESM output needs one.
const requireShim =
  "import { createRequire as __cliproxyCreateRequire } from 'node:module'; const require = __cliproxyCreateRequire(import.meta.url);";

await Promise.all([
  build({
    ...common,
    entryPoints: {
      cli: 'main/cli-entry.ts',
      start: 'main/launcher/start.ts',
      'usage-writer': 'main/metrics/usage-writer.ts',
    },
    outdir: 'dist',
    outExtension: { '.js': '.mjs' },
    format: 'esm',
    packages: 'external',
  }),
  build({
    ...common,
    entryPoints: { app: 'main/app/main.ts', 'usage-writer': 'main/metrics/usage-writer.ts' },
    outdir: 'dist/main',
    outExtension: { '.js': '.mjs' },
    format: 'esm',
    external: ['electron'],
    banner: { js: requireShim },
  }),
  build({
    ...common,
    entryPoints: { preload: 'main/app/preload.ts' },
    outdir: 'dist/main',
    outExtension: { '.js': '.cjs' },
    format: 'cjs',
    platform: 'node',
    external: ['electron'],
    sourcemap: false,
  }),
]);

if (!quiet) console.error(`built dist/ in ${Date.now() - started} ms`);
