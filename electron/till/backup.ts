// Backups of the till's database (备份). Taken with SQLite's online backup API through the till's own
// connection (better-sqlite3 db.backup: a page copy in small steps between which the till keeps
// selling; a write through the same connection meanwhile is carried into the copy, so the file is
// one consistent state). Each backup is written under a temporary name, made a self-contained file
// (journal_mode DELETE, no -wal beside it) and renamed into place, so a half-written backup never
// looks like a backup. Then it is copied to the second folder when one is set (a USB stick: it must
// exist, the till never creates a missing mount point on its own disk), and each folder keeps the
// newest `backup.keep` files (only files named like ours are ever removed).
//
// A backup is checked before anyone relies on it (backup.check, and every restore: restore.ts) on a
// COPY in a scratch folder inside the data folder: the copy is opened the way the till opens its
// database (refused when written by a newer app, migrated when older), must pass PRAGMA
// integrity_check, and must match what its name says (the day it closed). The backup file itself is
// never opened for writing. The check runs in the reports worker (a year's file takes long enough to
// freeze the till), with progress as a 'backup' job that 报表's cancel stops; only restoreInto, for an
// empty folder where nothing sells, checks on its own thread.
import Database from 'better-sqlite3';
import { closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readSync, renameSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { BackupCheck, BackupFile, BackupOutcome } from '../../shared/api/day';
import { ROLE_RANK } from '../../shared/api/endpoint';
import { TillError } from '../../shared/errors';
import { log } from '../api/log';
import { openTillDb } from './db';
import { ReportJobs, reportJobsOf } from './reports/jobs';
import type { Till } from './till';

export type BackupKind = BackupFile['kind'];
const KIND_SLUG: Record<BackupKind, string> = { day_close: 'z', manual: 'manual', before_restore: 'before-restore' };
const NAME = /^till-(\d{8})-(\d{6})-(z-(\d{4}-\d{2}-\d{2})|manual|before-restore)\.db$/;

export const backupDir = (till: Till): string => join(till.options.dataDir, 'backups');
export const secondDir = (till: Till): string | null => till.settings.get('backup.secondDir').trim() || null;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
/** Local time as 20261130-234512. */
function stamp(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`;
}

export function backupName(kind: BackupKind, at: number, businessDay?: string): string {
  return `till-${stamp(at)}-${KIND_SLUG[kind]}${kind === 'day_close' ? `-${businessDay}` : ''}.db`;
}

export function parseBackupName(name: string): { kind: BackupKind; businessDay: string | null; createdAt: number } | null {
  const m = NAME.exec(name);
  if (!m) return null;
  const [, ymd, hms, what, day] = m;
  const createdAt = new Date(+ymd.slice(0, 4), +ymd.slice(4, 6) - 1, +ymd.slice(6, 8), +hms.slice(0, 2), +hms.slice(2, 4), +hms.slice(4, 6)).getTime();
  const kind: BackupKind = day ? 'day_close' : what === 'manual' ? 'manual' : 'before_restore';
  return { kind, businessDay: day ?? null, createdAt };
}

function ourFiles(dir: string): string[] {
  try {
    return readdirSync(dir).filter((n) => NAME.test(n));
  } catch {
    return [];
  }
}

/** Keeps the newest `keep` backups in `dir` (the copies set aside by a restore are never removed). */
function rotate(dir: string, keep: number): string[] {
  const names = ourFiles(dir)
    .filter((n) => parseBackupName(n)!.kind !== 'before_restore')
    .sort()
    .reverse(); // the name starts with the time: newest first
  const removed: string[] = [];
  for (const n of names.slice(keep)) {
    try {
      unlinkSync(join(dir, n));
      removed.push(n);
    } catch (e) {
      log.warn('backup rotation failed', { file: n, error: String(e) });
    }
  }
  return removed;
}

/** Rewrites the header of a fresh copy so it is one file (no -wal, -shm needed to open it). */
function selfContained(file: string): void {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = DELETE');
  } finally {
    db.close();
  }
}

let running: Promise<unknown> = Promise.resolve();
let busy = 0;
/** True while a backup is being written (a restore waits for none: it refuses). */
export const backupRunning = (): boolean => busy > 0;

/**
 * Takes a backup now (one at a time: a second call waits for the first). Never throws: a failure is
 * an outcome with ok false and a message the manager can act on.
 */
export function takeBackup(till: Till, kind: 'day_close' | 'manual', businessDay?: string): Promise<BackupOutcome> {
  const next = running.then(() => writeBackup(till, kind, businessDay));
  running = next.catch(() => undefined);
  return next;
}

async function writeBackup(till: Till, kind: 'day_close' | 'manual', businessDay?: string): Promise<BackupOutcome> {
  busy++;
  const dir = backupDir(till);
  const name = backupName(kind, till.now(), businessDay);
  const file = join(dir, name);
  const part = `${file}.part`;
  try {
    mkdirSync(dir, { recursive: true });
    rmSync(part, { force: true });
    await till.sqlite.backup(part);
    selfContained(part);
    renameSync(part, file);
  } catch (e) {
    rmSync(part, { force: true });
    log.error('backup failed', { error: String(e) });
    return { ok: false, file: null, bytes: 0, second: null, removed: [], message: `备份失败：${(e as Error).message}` };
  } finally {
    busy--;
  }
  const bytes = statSync(file).size;
  const keep = till.settings.get('backup.keep');
  const removed = rotate(dir, keep);
  let second: BackupOutcome['second'] = null;
  const other = secondDir(till);
  if (other) {
    try {
      if (!existsSync(other) || !statSync(other).isDirectory()) throw new Error(`第二备份目录不存在（U 盘未插入？）：${other}`);
      copyFileSync(file, join(other, `${name}.part`));
      renameSync(join(other, `${name}.part`), join(other, name));
      removed.push(...rotate(other, keep));
      second = { ok: true, message: `已复制到 ${other}` };
    } catch (e) {
      rmSync(join(other, `${name}.part`), { force: true });
      second = { ok: false, message: (e as Error).message.startsWith('第二备份') ? (e as Error).message : `复制到第二备份目录失败：${(e as Error).message}` };
    }
  }
  const message = second && !second.ok ? `已备份 ${name}，但${second.message}` : `已备份 ${name}`;
  return { ok: true, file: name, bytes, second, removed, message };
}

export function listBackups(till: Till): BackupFile[] {
  const out: BackupFile[] = [];
  const dirs: [BackupFile['where'], string | null][] = [
    ['primary', backupDir(till)],
    ['second', secondDir(till)],
  ];
  for (const [where, dir] of dirs) {
    if (!dir) continue;
    for (const name of ourFiles(dir)) {
      const meta = parseBackupName(name)!;
      let bytes = 0;
      try {
        bytes = statSync(join(dir, name)).size;
      } catch {
        continue; // removed meanwhile
      }
      out.push({ name, where, kind: meta.kind, businessDay: meta.businessDay, createdAt: meta.createdAt, bytes });
    }
  }
  return out.sort((a, b) => b.name.localeCompare(a.name) || a.where.localeCompare(b.where));
}

/** The file a listed backup names; only names of our pattern inside our folders are accepted. */
export function backupPath(till: Till, name: string, where: BackupFile['where']): string {
  const dir = where === 'primary' ? backupDir(till) : secondDir(till);
  if (!dir || !NAME.test(name)) throw new TillError('UNKNOWN_BACKUP', '没有这个备份文件');
  const file = join(dir, name);
  if (!existsSync(file)) throw new TillError('UNKNOWN_BACKUP', `备份文件不存在：${name}`);
  return file;
}

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

/** A checked copy of a backup: `file` is the migrated, checked database in `dir` (remove `dir` when done). */
export interface CheckedCopy {
  check: BackupCheck;
  dir: string;
  file: string;
}

/** The live till a backup is compared with: its id, and how many of its sales are newer than the backup's last. */
export interface LiveTill {
  tillId: string;
  newerSales(lastSaleAt: number): number;
}
const liveOf = (till: Till): LiveTill => ({
  tillId: till.tillId,
  newerSales: (t) => (till.stmt('SELECT count(*) AS n FROM sales WHERE created_at > ?').get(t) as { n: number }).n,
});

/** Progress of a check, in thousandths: the copy is most of it (by bytes), then opening, integrity_check, the figures. */
export const CHECK_STEPS = { copied: 600, opened: 700, intact: 950, done: 1000 } as const;
interface CheckContext {
  progress(done: number, total: number): void;
  cancelled(): boolean;
}
const NO_CONTEXT: CheckContext = { progress: () => {}, cancelled: () => false };

function emptyCheck(): BackupCheck {
  return { ok: false, problems: [], tillId: null, lastClosedDay: null, saleCount: 0, lastSaleAt: null, newerSales: 0, bytes: 0 };
}

/** False (with the problem noted) when the file does not start like an SQLite database. */
function looksLikeSqlite(backup: string, check: BackupCheck): boolean {
  check.bytes = statSync(backup).size;
  const head = Buffer.alloc(16);
  const fd = openSync(backup, 'r');
  try {
    readSync(fd, head, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (head.equals(SQLITE_MAGIC)) return true;
  check.problems.push('不是收银数据库的备份文件（文件头不对）');
  return false;
}

/**
 * Checks the copy `file` of `backup` (see the top): opens it as the till does (migrating it), runs
 * integrity_check, reads its figures and compares them with its name and the live till. Synchronous:
 * called in the reports worker (checkBackupOffThread) or where nothing sells (restoreInto).
 */
function inspectCopy(backup: string, file: string, check: BackupCheck, live: LiveTill | undefined, ctx: CheckContext): void {
  const problems = check.problems;
  let opened;
  try {
    opened = openTillDb(file);
  } catch (e) {
    problems.push(e instanceof TillError ? e.message : `备份无法打开：${(e as Error).message}`);
    return;
  }
  ctx.progress(CHECK_STEPS.opened, CHECK_STEPS.done);
  const db = opened.sqlite;
  try {
    if (ctx.cancelled()) throw new TillError('CANCELLED', '已取消');
    const integrity = db.pragma('integrity_check', { simple: false }) as { integrity_check: string }[];
    if (integrity.length !== 1 || integrity[0].integrity_check !== 'ok') {
      problems.push(`完整性检查未通过：${integrity.slice(0, 3).map((r) => r.integrity_check).join('；')}`);
    }
    ctx.progress(CHECK_STEPS.intact, CHECK_STEPS.done);
    if (ctx.cancelled()) throw new TillError('CANCELLED', '已取消');
    const setting = db.prepare(`SELECT value FROM settings WHERE key = 'till.id'`).get() as { value: string } | undefined;
    check.tillId = setting ? (JSON.parse(setting.value) as string) : 'T01';
    const closed = db.prepare('SELECT max(business_day) AS day FROM day_closes').get() as { day: string | null };
    check.lastClosedDay = closed.day;
    const sales = db.prepare('SELECT count(*) AS n, max(created_at) AS last FROM sales').get() as { n: number; last: number | null };
    check.saleCount = sales.n;
    check.lastSaleAt = sales.last;
    const managers = db
      .prepare(`SELECT count(*) AS n FROM users u JOIN roles r ON r.id = u.role_id WHERE u.active = 1 AND r.rank >= ?`)
      .get(ROLE_RANK.manager) as { n: number };
    if (managers.n === 0) problems.push('备份中没有可登录的店长或店主账号');
    const meta = parseBackupName(backup.split(/[\\/]/).pop() ?? '');
    if (meta?.kind === 'day_close') {
      const row = db.prepare('SELECT 1 FROM day_closes WHERE business_day = ?').get(meta.businessDay);
      if (!row) problems.push(`文件名说是营业日 ${meta.businessDay} 日结时的备份，但其中没有该日的日结记录`);
    }
  } finally {
    db.close();
  }
  if (live) {
    if (check.tillId !== live.tillId) problems.push(`该备份来自收银台 ${check.tillId}，本机是 ${live.tillId}`);
    check.newerSales = live.newerSales(check.lastSaleAt ?? 0);
  }
  check.ok = problems.length === 0;
  ctx.progress(CHECK_STEPS.done, CHECK_STEPS.done);
}

/**
 * Copies `backup` into a scratch folder under `parent` and checks the copy (see the top), all on
 * this thread: for restoreInto (an empty folder, nothing selling). The copy is left there for a
 * restore to move into place.
 */
export function checkedCopy(backup: string, parent: string, live?: LiveTill): CheckedCopy {
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(join(parent, 'restore-'));
  const file = join(dir, 'till.db');
  const check = emptyCheck();
  try {
    if (!looksLikeSqlite(backup, check)) return { check, dir, file };
    copyFileSync(backup, file);
    inspectCopy(backup, file, check, live, NO_CONTEXT);
  } catch (e) {
    check.problems.push(`检查失败：${(e as Error).message}`);
  }
  return { check, dir, file };
}

/**
 * The same check in the reports worker (worker.ts 'backupCheck'): the copy in 1 MB steps with
 * progress, cancelled between steps (integrity_check itself cannot be interrupted: a cancel takes
 * effect when it returns). Writes `dir`/till.db; rejects with CANCELLED when cancelled.
 */
export async function checkCopyAsync(backup: string, dir: string, ctx: CheckContext, live?: LiveTill): Promise<CheckedCopy> {
  const file = join(dir, 'till.db');
  const check = emptyCheck();
  try {
    if (!looksLikeSqlite(backup, check)) return { check, dir, file };
    const from = await open(backup, 'r');
    const to = await open(file, 'w');
    try {
      const buf = Buffer.allocUnsafe(1 << 20);
      for (let pos = 0; ; ) {
        const { bytesRead } = await from.read(buf, 0, buf.length, pos);
        if (!bytesRead) break;
        await to.write(buf, 0, bytesRead);
        pos += bytesRead;
        ctx.progress(Math.floor((pos / Math.max(check.bytes, 1)) * CHECK_STEPS.copied), CHECK_STEPS.done);
        if (ctx.cancelled()) throw new TillError('CANCELLED', '已取消');
      }
    } finally {
      await from.close();
      await to.close();
    }
    inspectCopy(backup, file, check, live, ctx);
  } catch (e) {
    if (e instanceof TillError && e.code === 'CANCELLED') throw e;
    check.problems.push(`检查失败：${(e as Error).message}`);
  }
  return { check, dir, file };
}

/**
 * Checks a backup in the reports worker, never on the till's thread (integrity_check of a year's
 * file takes seconds to minutes): on the till's own worker when it runs (its progress goes to the
 * screen as a 'backup' job, 报表 → cancel works on it), else on a worker of its own for this check.
 * The checked copy is in the returned `dir` (remove it when done); `dir` is removed on a throw.
 */
export async function checkBackupOffThread(till: Till, backup: string, parent: string): Promise<CheckedCopy> {
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(join(parent, 'restore-'));
  const shared = reportJobsOf(till);
  const jobs = shared ?? new ReportJobs({ dbFile: till.dbFile });
  try {
    const { result } = jobs.run<BackupCheck>('backup', { type: 'backupCheck', backup, dir, tillId: till.tillId });
    return { check: await result, dir, file: join(dir, 'till.db') };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  } finally {
    if (!shared) await jobs.close();
  }
}

/** Checks a backup on a throw-away copy (backup.check), off the till's thread. */
export async function checkBackup(till: Till, name: string, where: BackupFile['where']): Promise<BackupCheck> {
  const copy = await checkBackupOffThread(till, backupPath(till, name, where), join(till.options.dataDir, 'restore-tmp'));
  rmSync(copy.dir, { recursive: true, force: true });
  return copy.check;
}

/** Restores a backup into an empty folder (a scratch folder, or a new PC) and returns the database file. */
export function restoreInto(backup: string, dataDir: string): { file: string; check: BackupCheck } {
  const copy = checkedCopy(backup, join(dataDir, '.restore-tmp'));
  try {
    if (!copy.check.ok) throw new TillError('BACKUP_BAD', `备份不能恢复：${copy.check.problems.join('；')}`, copy.check);
    const file = join(dataDir, 'till.db');
    if (existsSync(file)) throw new TillError('DATA_EXISTS', `目标文件夹已有数据库：${file}`);
    renameSync(copy.file, file);
    return { file, check: copy.check };
  } finally {
    rmSync(copy.dir, { recursive: true, force: true });
  }
}
