// `npm run dist:smoke`: packs the app as electron-builder would ship it (Linux `dir` target) around a
// stub Electron — the real binary cannot be downloaded everywhere — then lists app.asar and fails
// unless the main bundle, its worker, the preload, the renderer build and the assets are inside and
// nothing that should stay out (source maps, node_modules, sources) went in.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listPackage } from '@electron/asar';
import { build, Platform } from 'electron-builder';

const REQUIRED = [
  '/package.json',
  '/dist/main/app.mjs',
  '/dist/main/usage-writer.mjs',
  '/dist/main/preload.cjs',
  '/dist/renderer/index.html',
  '/assets/icon.png',
  '/assets/tray-running.png',
  '/assets/tray-stopped.png',
  '/assets/tray-error.png',
  '/assets/tray-runningTemplate.png',
];
const FORBIDDEN = [/\.map$/, /^\/node_modules\//, /^\/main\//, /^\/test\//, /\.ts$/];

for (const file of ['dist/main/app.mjs', 'dist/main/preload.cjs', 'dist/renderer/index.html']) {
  if (!existsSync(file)) {
    console.error(`dist:smoke: ${file} is missing — run \`npm run build\` first`);
    process.exit(1);
  }
}

const work = mkdtempSync(join(tmpdir(), 'cliproxy-dist-smoke-'));
const stub = join(work, 'electron-stub');
mkdirSync(stub);
// electron-builder renames the `electron` executable to the product's; a script stands in for it.
writeFileSync(
  join(stub, 'electron'),
  '#!/bin/sh\necho "stub electron: the real binary was not downloaded" >&2\nexit 1\n',
);
chmodSync(join(stub, 'electron'), 0o755);
writeFileSync(join(stub, 'version'), 'stub');

const started = Date.now();
try {
  await build({
    targets: Platform.LINUX.createTarget('dir'),
    publish: 'never',
    config: {
      extends: null,
      ...(await import('yaml')).parse((await import('node:fs')).readFileSync('electron-builder.yml', 'utf8')),
      electronDist: stub,
      directories: { output: join(work, 'release'), buildResources: 'assets' },
    },
  });
  const unpacked = join(work, 'release', 'linux-unpacked');
  const asar = join(unpacked, 'resources', 'app.asar');
  if (!existsSync(asar)) throw new Error(`no app.asar at ${asar}`);
  if (!existsSync(join(unpacked, 'cliproxy-desktop')))
    throw new Error('the executable was not named cliproxy-desktop');
  const entries = listPackage(asar, { isPack: false }).map((e) => e.replaceAll('\\', '/'));
  const missing = REQUIRED.filter((file) => !entries.includes(file));
  const unwanted = entries.filter((e) => FORBIDDEN.some((re) => re.test(e)));
  if (missing.length || unwanted.length) {
    if (missing.length) console.error(`dist:smoke: missing from app.asar: ${missing.join(', ')}`);
    if (unwanted.length)
      console.error(`dist:smoke: should not be in app.asar: ${unwanted.slice(0, 10).join(', ')}`);
    process.exitCode = 1;
  } else {
    console.error(
      `dist:smoke: app.asar holds ${entries.length} entries, all required ones present (${Date.now() - started} ms)`,
    );
  }
} catch (error) {
  console.error(`dist:smoke: ${error.message}`);
  process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
