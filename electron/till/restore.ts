// Restoring the till's database from a backup (恢复). What a merchant expects, and what can go wrong:
//   - Nothing is lost for good: the database being replaced is moved, whole, into the backup folder
//     as till-…-before-restore.db (listed with the backups, so a restore can itself be undone), and
//     rotation never removes such a file.
//   - A bad backup changes nothing: it is checked first on a copy (backup.ts, in the reports worker
//     so the till's thread never waits on integrity_check: opens as the till opens it,
//     integrity_check, not from a newer app, has its day's close, has a manager), and the checked
//     copy — already migrated — is what moves into place; the live file is touched only after that.
//     If the new file still cannot be opened, the old one is put back.
//   - Nothing reads the replaced file afterwards: the reports worker lets go of it before the swap
//     (its jobs stop, its connections close) and the next report starts it on the restored file.
//   - Nobody is selling: refused while a shift is open (the drawer would belong to no shift) or a
//     backup is being written; the device manager (print queue, displays) is stopped around the
//     swap and started on the new connection; everyone logs in again.
//   - Receipt numbers never repeat: receipts printed after the backup was taken are gone from the
//     data but not from customers' hands, so the per-day counters are raised to the replaced
//     database's where it had gone further.
//   - The outbox of the backup may hold messages already sent from the replaced database; each
//     carries its row id as the platform's idempotency key, so the sync sends no double.
import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BackupCheck, BackupFile } from '../../shared/api/day';
import { TillError } from '../../shared/errors';
import { log } from '../api/log';
import { audit } from './audit';
import { backupDir, backupName, backupPath, backupRunning, checkBackupOffThread } from './backup';
import { reportJobsOf } from './reports/jobs';
import { currentShift } from './shift';
import type { Till } from './till';

export interface DeviceHooks {
  /** Stops whatever holds the database connection besides the till (the device manager). */
  stop(): Promise<void>;
  /** Starts it again on the new connection. */
  start(): void;
}

let restoring = false;

export async function restoreBackup(
  till: Till,
  ref: { name: string; where: BackupFile['where'] },
  devices: DeviceHooks | null,
): Promise<{ check: BackupCheck; replacedFile: string }> {
  const session = till.auth.requireSession();
  if (restoring) throw new TillError('RESTORE_RUNNING', '正在恢复，请稍候');
  const open = currentShift(till);
  if (open) throw new TillError('SHIFT_OPEN', `${open.userName} 的班次还没有交班：请先交班，再恢复备份`);
  if (backupRunning()) throw new TillError('BACKUP_RUNNING', '正在备份，请稍候再恢复');
  restoring = true;
  const staging = join(till.options.dataDir, 'restore-tmp');
  let copy;
  try {
    copy = await checkBackupOffThread(till, backupPath(till, ref.name, ref.where), staging);
  } catch (e) {
    restoring = false;
    throw e;
  }
  try {
    if (!copy.check.ok) throw new TillError('BACKUP_BAD', `该备份不能恢复：${copy.check.problems.join('；')}`, copy.check);
    // The check ran off this thread: a shift may have been opened meanwhile.
    const opened = currentShift(till);
    if (opened) throw new TillError('SHIFT_OPEN', `${opened.userName} 的班次还没有交班：请先交班，再恢复备份`);
    const at = till.now();
    const asideName = backupName('before_restore', at);
    const aside = join(backupDir(till), asideName);
    audit(till.sqlite, { userId: session.userId, action: 'backup.restore', target: ref.name, details: { where: ref.where, replacedFile: asideName } }, at);
    await devices?.stop();
    const reports = reportJobsOf(till);
    try {
      await reports?.suspend();
      const live = till.dbFile;
      till.reopen(
        () => {
          // After a clean close WAL mode leaves no -wal / -shm; any left over belong to the old file.
          renameSync(live, aside);
          for (const ext of ['-wal', '-shm']) if (existsSync(live + ext)) renameSync(live + ext, aside + ext);
          renameSync(copy.file, live);
        },
        () => {
          if (existsSync(aside)) {
            if (existsSync(live)) renameSync(live, `${copy.file}.failed`);
            renameSync(aside, live);
            for (const ext of ['-wal', '-shm']) if (existsSync(aside + ext)) renameSync(aside + ext, live + ext);
          }
        },
      );
    } finally {
      reports?.resume();
      devices?.start();
    }
    raiseCounters(till, aside);
    audit(till.sqlite, {
      userId: session.userId, action: 'backup.restored', target: ref.name,
      details: { where: ref.where, replacedFile: asideName, by: session.name, lastClosedDay: copy.check.lastClosedDay, saleCount: copy.check.saleCount },
    }, till.now());
    return { check: copy.check, replacedFile: asideName };
  } finally {
    restoring = false;
    rmSync(copy.dir, { recursive: true, force: true });
  }
}

/** Receipt and other per-scope counters: never below where the replaced database had got to. */
function raiseCounters(till: Till, replaced: string): void {
  try {
    till.sqlite.prepare('ATTACH DATABASE ? AS replaced').run(replaced);
    try {
      till.sqlite
        .prepare(
          `INSERT INTO main.counters (name, scope, value) SELECT name, scope, value FROM replaced.counters WHERE true
           ON CONFLICT (name, scope) DO UPDATE SET value = max(value, excluded.value)`,
        )
        .run();
    } finally {
      till.sqlite.prepare('DETACH DATABASE replaced').run();
    }
  } catch (e) {
    log.warn('restore: counters not raised', { error: String(e) });
  }
}
