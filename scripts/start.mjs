// `npm start`: the till in Electron where its runtime is installed, else the same UI from the browser
// host (with one clear line saying so, and the address to open).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const forceBrowser = args.includes('--browser');

function electronBinary() {
  try {
    const path = require('electron'); // the package exports the path of its binary
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

const electron = forceBrowser ? null : electronBinary();
const rest = args.filter((a) => a !== '--browser');
let child;
if (electron) {
  child = spawn(electron, ['.', ...rest], { stdio: 'inherit' });
} else {
  if (!forceBrowser) {
    console.log('未安装 Electron 运行时，改用浏览器模式 / Electron runtime not installed: serving the till to a browser instead.');
  }
  child = spawn(process.execPath, ['out/main/browser.js', ...rest], { stdio: 'inherit' });
}
const forward = (sig) => () => child.kill(sig);
process.on('SIGINT', forward('SIGINT'));
process.on('SIGTERM', forward('SIGTERM'));
child.on('exit', (code) => process.exit(code ?? 0));
