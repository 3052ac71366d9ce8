// Bundles the main-process entry points with esbuild:
// - dist/cli.mjs, dist/start.mjs, dist/usage-writer.mjs: the CLI, `npm start`'s launcher and the usage
//   log's worker (dependencies stay external in node_modules);
// - dist/main/app.mjs (+ its worker) and dist/main/preload.cjs: the Electron app, fully bundled so the
//   package needs no node_modules; the preload is one CommonJS file, as sandboxed preloads must be.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { build } from 'esbuild';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const CHUNK = /-[A-Z0-9]{8}\.mjs(\.map)?$/;
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

const [cliBuild] = await Promise.all([
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
    // Code loaded on first use (import()) gets its own chunk, so its dependencies load with it
    // rather than at startup (Express for the routes off the hot path, for example). Chunks sit next
    // to the entries: code in them finds the worker and the dashboard relative to its own file.
    splitting: true,
    chunkNames: '[name]-[hash]',
    metafile: true,
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

// Chunks of earlier builds (their names change with their content). Removed only after this build
// has written its own, so a process started from dist/ (tests build in parallel) never misses one.
const written = new Set(Object.keys(cliBuild.metafile.outputs).map((file) => basename(file)));
for (const file of readdirSync('dist')) {
  if (CHUNK.test(file) && !written.has(file)) rmSync(join('dist', file), { force: true });
}

if (!quiet) console.error(`built dist/ in ${Date.now() - started} ms`);
