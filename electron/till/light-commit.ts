// The cart being rung up commits without waiting for the disk. The till runs synchronous=FULL so an
// acknowledged sale survives a power cut; that costs an fsync per commit (2–12 ms on a shop PC's
// disk, most of a scan's time on the main side). A change to the unpaid cart is not money: committed
// with synchronous=NORMAL it still survives the process being killed (the WAL is in the OS's hands)
// and can never corrupt the database; only a power cut in the second after it may take back the
// last scans, which the cashier sees and scans again (a manager's approval recorded with such a
// change goes back with it: never one without the other). Sales, payments, stock, voids, holds and
// recalls keep the fsync, and the next such commit makes every earlier cart write durable with it
// (the WAL is one file, synced whole).
import type { Till } from './till';

/** Runs fn in till.tx, committing without an fsync (see above). Inside another transaction its commit decides. */
export function lightTx<T>(till: Till, fn: () => T): T {
  if (till.sqlite.inTransaction) return till.tx(fn);
  const mode = till.sqlite.pragma('synchronous', { simple: true }) as number;
  till.stmt('PRAGMA synchronous = NORMAL').run();
  try {
    return till.tx(fn);
  } finally {
    till.stmt(`PRAGMA synchronous = ${mode}`).run();
  }
}
