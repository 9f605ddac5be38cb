// Durability of the checkout, in one rule: a killed process loses nothing that was acknowledged; a
// power cut may take back the last cart edits, never a sale, a payment or a stock move.
//
// The till runs synchronous=FULL, so every commit waits for an fsync (2–12 ms on a shop PC's disk,
// most of a scan's time on the main side). The unpaid cart is not money, so its edits commit here
// with synchronous=NORMAL: in WAL mode the commit is written to the WAL before it returns, so it
// survives the process being killed (the OS holds the write), and the database can never be corrupted
// by it; only a power cut in the moment after may take back the last edits, which the cashier sees
// and scans again. A manager's approval recorded with such an edit (its audit row) goes back with
// it: never one without the other. Sales, payments, stock moves, voids, holds and recalls commit with
// the fsync (plain till.tx), and that commit makes every earlier cart edit durable with it (the WAL is
// one file, synced whole). Tests: tests/integration/till/light-commit.test.ts (a sale after cart
// edits commits at FULL; SIGKILL after acknowledged edits keeps them); README "Where the data lives".
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
