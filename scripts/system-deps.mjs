// The system programs the test suite needs (TESTING.md). Run as root on Debian it installs what is
// missing with apt; otherwise it says exactly what to install and fails.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const NEEDS = [
  { what: 'Chromium (UI tests)', pkg: 'chromium', ok: () => existsSync('/usr/bin/chromium') },
  { what: 'socat (virtual serial ports)', pkg: 'socat', ok: () => has('socat') },
  { what: 'udev (serial port listing)', pkg: 'udev', ok: () => has('udevadm') },
  { what: 'pcscd (card reader service)', pkg: 'pcscd', ok: () => existsSync('/usr/sbin/pcscd') },
  { what: 'libpcsclite-dev (builds @pokusew/pcsclite)', pkg: 'libpcsclite-dev', ok: () => existsSync('/usr/include/PCSC/winscard.h') },
  { what: 'vsmartcard-vpcd (virtual card reader)', pkg: 'vsmartcard-vpcd', ok: () => existsSync('/etc/reader.conf.d/vpcd') },
  { what: 'WenQuanYi Micro Hei font', pkg: 'fonts-wqy-microhei', ok: () => existsSync('/usr/share/fonts/truetype/wqy/wqy-microhei.ttc') },
  { what: 'Noto CJK fonts', pkg: 'fonts-noto-cjk', ok: () => existsSync('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc') },
];

function has(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

export function ensureSystemDeps({ log = console.log } = {}) {
  const missing = NEEDS.filter((n) => !n.ok());
  if (!missing.length) return true;
  const pkgs = missing.map((m) => m.pkg);
  const isRoot = process.getuid?.() === 0;
  const isDebian = existsSync('/etc/debian_version');
  if (isRoot && isDebian) {
    log(`installing system packages: ${pkgs.join(' ')}`);
    execFileSync('apt-get', ['update'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...pkgs], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    let still = NEEDS.filter((n) => !n.ok());
    if (still.length) {
      // apt says "already installed" but the files are not there (deleted, or hidden from this
      // process): put them back.
      execFileSync('apt-get', ['install', '-y', '--reinstall', '--no-install-recommends', ...still.map((m) => m.pkg)], {
        stdio: 'inherit',
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      });
      still = NEEDS.filter((n) => !n.ok());
    }
    if (!still.length) return true;
    log(`still missing after apt: ${still.map((s) => s.what).join(', ')}`);
    return false;
  }
  log('The tests need these system packages, which are missing:');
  for (const m of missing) log(`  - ${m.what}: ${m.pkg}`);
  log(`Install them (Debian/Ubuntu): sudo apt-get install -y --no-install-recommends ${pkgs.join(' ')}`);
  return false;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exit(ensureSystemDeps() ? 0 : 1);
}
