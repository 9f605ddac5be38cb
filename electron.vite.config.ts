import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
const define = { __APP_VERSION__: JSON.stringify(pkg.version) };

export default defineConfig({
  main: {
    define,
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          main: resolve('electron/main.ts'),
          browser: resolve('electron/host/browser-main.ts'),
          // Reports, exports and the journal read in a worker thread (electron/till/reports/jobs.ts).
          'reports-worker': resolve('electron/till/reports/worker.ts'),
          // Sync with the online shops runs in a worker thread (electron/sync/agent.ts looks for sync-worker.js).
          'sync-worker': resolve('electron/sync/worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { preload: resolve('electron/preload.ts') },
        // A sandboxed preload must be CommonJS.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    define,
    plugins: [react()],
    build: {
      outDir: 'out/renderer',
      minify: true, // smaller and faster to parse on old counter PCs
      rollupOptions: { input: { index: resolve('renderer/index.html') } },
    },
  },
});
