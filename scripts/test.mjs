// `npm test`: system needs, native modules, build, then the three runners (unit, integration, e2e)
// one after another (2-core machines: Chromium and the kill test should not fight), ending with one
// summary line over all of them: "N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ensureSystemDeps } from './system-deps.mjs';

const require = createRequire(import.meta.url);
const projects = ['unit', 'integration', 'e2e'];
const only = process.argv.slice(2).filter((a) => projects.includes(a));
const extra = process.argv.slice(2).filter((a) => !projects.includes(a));

if (!ensureSystemDeps()) process.exit(1);

// The card-reader driver is an optional dependency: on a machine that had no PC/SC headers at
// `npm install`, npm skipped it. The headers are there now (system needs above), so install it again,
// so the PC/SC tests really run instead of skipping.
if (!loads('@pokusew/pcsclite')) {
  console.log('card-reader driver (@pokusew/pcsclite) missing: installing it now that the PC/SC headers are here');
  const npm = process.env.npm_execpath
    ? spawnSync(process.execPath, [process.env.npm_execpath, 'install', '--no-audit', '--no-fund'], { stdio: 'inherit' })
    : spawnSync('npm', ['install', '--no-audit', '--no-fund'], { stdio: 'inherit', shell: process.platform === 'win32' });
  if (npm.status !== 0) console.error('npm install of the optional card-reader driver failed');
}

function loads(mod) {
  try {
    require(mod);
    return true;
  } catch {
    return false;
  }
}

// Checked in a new process each: this one's module loader remembers that the driver's package.json
// was missing before the install above, and would still say "Cannot find module" after it.
for (const mod of ['better-sqlite3', '@pokusew/pcsclite', 'serialport']) {
  const probe = mod === 'better-sqlite3' ? `new (require('${mod}'))(':memory:').close()` : `require('${mod}')`;
  const r = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' });
  if (r.status !== 0) {
    const why = (r.stderr.match(/^Error: .*$/m) ?? [r.stderr.trim().split('\n')[0]])[0];
    console.error(`native module ${mod} does not load: ${why}\nRun: npm rebuild ${mod}`);
    process.exit(1);
  }
}

const build = spawnSync(process.execPath, ['scripts/build.mjs', '--quiet'], { stdio: 'inherit' });
if (build.status !== 0) {
  console.error('build failed');
  console.log('0 passed, 1 failed');
  process.exit(1);
}

mkdirSync('test-results', { recursive: true });
const total = { passed: 0, failed: 0, skipped: 0 };
let exitCode = 0;

// Type checks count as three tests: main-process code, web code and tests, each with its own config.
if (!only.length) {
  for (const config of ['tsconfig.node.json', 'tsconfig.web.json', 'tsconfig.test.json']) {
    const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', config, '--noEmit'], { stdio: 'inherit' });
    if (tsc.status === 0) total.passed += 1;
    else {
      total.failed += 1;
      exitCode = 1;
    }
    console.log(`typecheck ${config}: ${tsc.status === 0 ? 'ok' : 'FAILED'}`);
  }
}
for (const project of only.length ? only : projects) {
  const out = `test-results/vitest-${project}.json`;
  rmSync(out, { force: true });
  const run = spawnSync(
    process.execPath,
    ['node_modules/vitest/vitest.mjs', 'run', '--project', project, '--reporter=default', `--reporter=json`, `--outputFile.json=${out}`, ...extra],
    { stdio: 'inherit' },
  );
  let r;
  try {
    r = JSON.parse(readFileSync(out, 'utf8'));
  } catch {
    console.error(`${project}: the runner produced no results (exit ${run.status})`);
    total.failed += 1;
    exitCode = 1;
    continue;
  }
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  // A file that fails to load counts as a failure even when no test inside it ran.
  const brokenFiles = (r.testResults ?? []).filter((f) => f.status === 'failed' && !(f.assertionResults ?? []).length).length;
  total.passed += r.numPassedTests ?? 0;
  total.failed += (r.numFailedTests ?? 0) + brokenFiles;
  total.skipped += skipped;
  console.log(`${project}: ${r.numPassedTests} passed, ${(r.numFailedTests ?? 0) + brokenFiles} failed, ${skipped} skipped`);
  if (run.status !== 0) exitCode = 1;
}
if (total.failed) exitCode = 1;
console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(exitCode);
