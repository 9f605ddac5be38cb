// The API map: one declaration per name, and every endpoint's input refuses junk.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { api } from '../../../shared/api';
import { combine, endpoint, ROLE_RANK } from '../../../shared/api/endpoint';

describe('API contract', () => {
  it('combining two domains that declare the same name throws', () => {
    const a = { 'x.one': endpoint<number>()({ input: z.object({}), role: 'cashier', summary: '' }) };
    const b = { 'x.one': endpoint<string>()({ input: z.object({}), role: 'manager', summary: '' }) };
    expect(() => combine(a, b)).toThrow(/declared twice: x.one/);
  });

  it('every endpoint has a role, a summary and an object input that refuses unknown fields', () => {
    for (const [name, def] of Object.entries(api)) {
      expect(['public', ...Object.keys(ROLE_RANK)], name).toContain(def.role);
      expect(def.summary.length, name).toBeGreaterThan(1);
      expect(def.input.safeParse({ __unknown__: 1 }).success, name).toBe(false);
      expect(def.input.safeParse('text').success, name).toBe(false);
    }
  });

  it('names are domain.action (or domain.part.action, e.g. sync.mapping.link)', () => {
    for (const name of Object.keys(api)) expect(name).toMatch(/^[a-z][a-zA-Z]*(\.[a-z][a-zA-Z]*)?\.[a-z][a-zA-Z]*$/);
  });
});
