// English mode: every refusal the main side can send has an English sentence (renderer/src/i18n/errors.ts),
// so none falls back to Chinese. The codes are read from the source: every `TillError(...)` first
// argument under electron/ (literals, also in a ternary), every `{ code: '…' }` error object the hosts
// build, and the barcode check's codes in shared/.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatYuan } from '../../../shared/money';

const root = join(import.meta.dirname, '..', '..', '..');
const { ERRORS_EN, errorSentenceEn } = (await import(/* @vite-ignore */ `${root}/renderer/src/i18n/errors.ts`)) as {
  ERRORS_EN: Record<string, readonly string[]>;
  errorSentenceEn(code: string, details?: unknown, extra?: Record<string, string>): string;
};

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile() && d.name.endsWith('.ts'))
    .map((d) => join(d.parentPath, d.name));
}

/** Codes thrown as `new TillError('X', …)` (or `TillError(a ? 'X' : 'Y', …)`) and sent as `{ code: 'X', message }`. */
function codesIn(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/TillError\(\s*([^,]*?),/g)) for (const c of m[1].matchAll(/'([A-Z][A-Z_]+)'/g)) out.push(c[1]);
  for (const m of text.matchAll(/code: '([A-Z][A-Z_]+)',?\s*message/g)) out.push(m[1]);
  return out;
}

const mainCodes = new Set<string>();
for (const f of files(join(root, 'electron'))) for (const c of codesIn(readFileSync(f, 'utf8'))) mainCodes.add(c);
// validateBarcode's refusals are thrown by their code (`new TillError(checked.code, …)`).
for (const m of readFileSync(join(root, 'shared/barcode.ts'), 'utf8').matchAll(/code: '([A-Z][A-Z_]+)'/g)) mainCodes.add(m[1]);

describe('English refusals by error code', () => {
  it('finds the codes (the scan of the source works)', () => {
    for (const c of ['UNKNOWN_BARCODE', 'BAD_PIN', 'LOCKED', 'DISCOUNT_LIMIT', 'APPROVAL_EXCEEDED', 'BAD_CHECK_DIGIT', 'NO_TOKEN', 'INTERNAL']) {
      expect(mainCodes, c).toContain(c);
    }
    expect(mainCodes.size).toBeGreaterThan(80);
  });

  it('every code the main side can throw has an English sentence', () => {
    expect([...mainCodes].filter((c) => !ERRORS_EN[c]).sort()).toEqual([]);
  });

  it('every list ends with a sentence that needs no values, and all of it is English', () => {
    for (const [code, list] of Object.entries(ERRORS_EN)) {
      expect(list.length, code).toBeGreaterThan(0);
      expect(list[list.length - 1], code).not.toMatch(/\{\{/);
      for (const s of list) expect(s, code).not.toMatch(/[\u4e00-\u9fff]/);
      if (code.includes(':')) expect(ERRORS_EN[code.split(':')[0]], code).toBeDefined();
    }
  });

  it('fills the values the main side sends in details, money as ¥', () => {
    expect(errorSentenceEn('UNKNOWN_BARCODE', { code: '6901234567892' })).toBe('No product has the barcode 6901234567892.');
    expect(errorSentenceEn('BAD_PIN', { left: 4 })).toBe('Wrong PIN: 4 tries left.');
    expect(errorSentenceEn('UNDERPAID', { shortFen: 1250 })).toBe(`${formatYuan(1250)} is still due: take the rest.`);
    expect(errorSentenceEn('BAD_PIN', { reason: 'manager', seconds: 2, left: 3, minutes: 5 })).toMatch(/^Wrong manager PIN, not approved\. Try again in 2 s; 3 more/);
    expect(errorSentenceEn('APPROVAL_REQUIRED', { action: 'discount' }, { actionText: 'Discount over the limit' })).toBe(
      "A manager's approval is needed: Discount over the limit.",
    );
  });

  it('without the values, the plain sentence (never a {{hole}}); an unknown code still reads English', () => {
    expect(errorSentenceEn('UNKNOWN_BARCODE')).toBe('No product has this barcode.');
    expect(errorSentenceEn('LOCKED', { minutes: 5 })).toBe('Too many wrong PINs: locked. Try again in 5 min.');
    expect(errorSentenceEn('NO_SUCH_CODE_EVER', { x: 1 })).toBe('The till refused this (NO_SUCH_CODE_EVER).');
  });
});
