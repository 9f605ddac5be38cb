// Where the till's files live. Plain Node: the Electron shell passes app.getPath('userData') in.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The data folder: --data-dir wins, then TILL_DATA_DIR, then the platform's user-data folder. */
export function resolveDataDir(argv: string[], env: NodeJS.ProcessEnv, electronUserData?: string): string {
  const i = argv.indexOf('--data-dir');
  if (i >= 0 && argv[i + 1]) return resolve(argv[i + 1]);
  const eq = argv.find((a) => a.startsWith('--data-dir='));
  if (eq) return resolve(eq.slice('--data-dir='.length));
  if (env.TILL_DATA_DIR) return resolve(env.TILL_DATA_DIR);
  if (electronUserData) return electronUserData;
  // Same folder Electron's app.getPath('userData') gives for our productName.
  const name = 'xiaodian-till';
  if (process.platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), name);
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', name);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), name);
}

/**
 * Files shipped with the app (migrations, renderer build). In the repo and in the build output they
 * sit at the repo root; in a packaged app they are extraResources beside app.asar.
 */
export function resolveResource(name: string): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [
    process.env.TILL_RESOURCES ? join(process.env.TILL_RESOURCES, name) : '',
    (process as { resourcesPath?: string }).resourcesPath
      ? join((process as { resourcesPath?: string }).resourcesPath!, name)
      : '',
    join(here, '..', '..', name), // electron/till/*.ts or out/main/*.js
    join(here, '..', name),
    join(process.cwd(), name),
  ].filter(Boolean);
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error(`resource not found: ${name} (looked in ${candidates.join(', ')})`);
  return found;
}
