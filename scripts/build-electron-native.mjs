// Builds the native modules once more for Electron's ABI into native/electron/, leaving
// node_modules untouched so `npm test` keeps running in plain Node. Needs the network (Electron's
// headers); run it on the packaging machine before `npm run dist`.
//   better-sqlite3 -> native/electron/better_sqlite3.node   (loaded via its `nativeBinding` option)
//   @pokusew/pcsclite -> native/electron/pcsclite.node       (loaded by the card-reader child)
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
const outDir = join('native', 'electron');
mkdirSync(outDir, { recursive: true });

const modules = [
  { pkg: 'better-sqlite3', built: 'build/Release/better_sqlite3.node', out: 'better_sqlite3.node' },
  { pkg: '@pokusew/pcsclite', built: 'build/Release/pcsclite.node', out: 'pcsclite.node' },
];
for (const m of modules) {
  const src = dirname(require.resolve(`${m.pkg}/package.json`));
  const work = join(mkdtempSync(join(tmpdir(), 'electron-native-')), m.pkg.replace('/', '_'));
  cpSync(src, work, { recursive: true, filter: (p) => !p.includes(`${'build'}/Release/obj`) });
  console.log(`building ${m.pkg} for Electron ${electronVersion} in ${work}`);
  execFileSync(
    process.execPath,
    [require.resolve('node-gyp/bin/node-gyp.js'), 'rebuild', `--target=${electronVersion}`, `--arch=${process.arch}`, '--dist-url=https://electronjs.org/headers'],
    { cwd: work, stdio: 'inherit' },
  );
  cpSync(join(work, m.built), join(outDir, m.out));
  console.log(`-> ${join(outDir, m.out)}`);
}
