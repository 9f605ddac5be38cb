// Is the PC/SC driver module (@pokusew/pcsclite, an optional dependency) installed? It compiles at
// `npm install` only where the PC/SC headers exist, and npm skips it quietly elsewhere, so the till
// must start without it and say exactly how to get it. Checked without loading it: loading happens
// only in the card-reader child process (see card-reader.ts for why).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const DRIVER_MISSING_MESSAGE =
  '读卡器驱动未安装（@pokusew/pcsclite）。修复：Debian/Ubuntu 先运行 sudo apt-get install -y libpcsclite-dev pcscd，再在程序目录运行 npm install；Windows 安装包已自带驱动';

/** TILL_PCSC_MODULE names another module (tests use a missing one to see the till start without it). */
const driverModule = () => process.env.TILL_PCSC_MODULE || '@pokusew/pcsclite';

export interface DriverCheck {
  installed: boolean;
  message: string;
}

/**
 * nativeBinding: the Electron-ABI build shipped beside the app (then only the package's JS is
 * needed from node_modules); otherwise node_modules' own build must be there.
 */
export function pcscDriver(nativeBinding?: string): DriverCheck {
  try {
    const require = createRequire(import.meta.url);
    const dir = dirname(require.resolve(`${driverModule()}/package.json`));
    const built = nativeBinding ? true : existsSync(join(dir, 'build', 'Release', 'pcsclite.node'));
    if (built) return { installed: true, message: '读卡器驱动已安装' };
  } catch {
    // not installed
  }
  return { installed: false, message: DRIVER_MISSING_MESSAGE };
}
