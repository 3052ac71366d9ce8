import { defineConfig } from 'vite';

// base './' keeps every asset URL relative, so the same build works under the engine's /ui/ route
// and from file:// inside Electron. outDir is relative to root (this folder).
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  logLevel: 'warn',
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
});
