// The till's API is a map of named endpoints. Each endpoint is declared once, here in shared/, with
// its zod input schema, the role it needs and its result type; the main process implements it and
// the renderer's client is typed from the same map, so a call is checked at compile time.
import type { z } from 'zod';

/** staff (店员/取货员): the pickup and voucher screen only — no selling, refunds or drawer. */
export type Role = 'staff' | 'cashier' | 'manager' | 'owner';
export const ROLE_RANK: Record<Role, number> = { staff: 0, cashier: 1, manager: 2, owner: 3 };

export interface Endpoint<I extends z.ZodType = z.ZodType, O = unknown> {
  input: I;
  /** 'public' = no login needed (login screen, app info). Checked in the main process. */
  role: Role | 'public';
  summary: string;
  /** Phantom: carries the result type only. */
  readonly __output?: O;
}

/** `endpoint<Result>()({ input, role, summary })` — the curried form lets TS infer the input. */
export function endpoint<O>() {
  return <I extends z.ZodType>(def: { input: I; role: Role | 'public'; summary: string }): Endpoint<I, O> => def;
}

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

/** Joins domain maps into one; a name declared twice is a programming error and throws at start. */
export function combine<T extends Record<string, Endpoint>[]>(...domains: T): UnionToIntersection<T[number]> {
  const all: Record<string, Endpoint> = {};
  for (const domain of domains) {
    for (const [name, def] of Object.entries(domain)) {
      if (name in all) throw new Error(`API endpoint declared twice: ${name}`);
      all[name] = def;
    }
  }
  return all as UnionToIntersection<T[number]>;
}
