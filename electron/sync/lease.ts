// One sync agent per shop: the agent holding an unexpired lease row talks to the platforms; another
// (a second till, a restarted worker) waits until it lapses. Taken and renewed in one IMMEDIATE
// transaction so two connections cannot both win.
import { eq } from 'drizzle-orm';
import type { TillDb } from '../till/db';
import { syncLease } from '../till/schema';

const LEASE = 'shop';

/** Takes or renews the lease for `holder` until now + ttlMs; false while someone else holds it. */
export function acquireLease(db: TillDb, holder: string, now: number, ttlMs: number): boolean {
  return db.$client
    .transaction(() => {
      const row = db.select().from(syncLease).where(eq(syncLease.name, LEASE)).get();
      if (row && row.holder !== holder && row.expiresAt > now) return false;
      const acquiredAt = row && row.holder === holder ? row.acquiredAt : now;
      db.insert(syncLease)
        .values({ name: LEASE, holder, expiresAt: now + ttlMs, acquiredAt })
        .onConflictDoUpdate({ target: syncLease.name, set: { holder, expiresAt: now + ttlMs, acquiredAt } })
        .run();
      return true;
    })
    .immediate();
}

/** Gives the lease up (on a clean stop) so another agent need not wait for it to lapse. */
export function releaseLease(db: TillDb, holder: string): void {
  db.$client.prepare(`DELETE FROM sync_lease WHERE name = ? AND holder = ?`).run(LEASE, holder);
}
