// Builds main, preload and renderer with electron-vite. Where the Electron runtime is not installed
// (it cannot be downloaded on our CI machines), electron-vite is told the Electron major version from
// package.json so it can still pick its build targets.
import { build } from 'electron-vite';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
if (!process.env.ELECTRON_MAJOR_VER) {
  try {
    require.resolve('electron/package.json');
  } catch {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    const range = pkg.optionalDependencies?.electron ?? pkg.devDependencies?.electron ?? '39';
    process.env.ELECTRON_MAJOR_VER = String(range).replace(/^[^\d]*/, '').split('.')[0];
  }
}
await build({ configFile: 'electron.vite.config.ts', logLevel: process.argv.includes('--quiet') ? 'warn' : 'info' });
