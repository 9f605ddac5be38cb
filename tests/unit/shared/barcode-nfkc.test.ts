// Codes typed with a Chinese input method in full-width characters (６９０１０２８０７５８６２, ｋｋｋｌ)
// are read as the ASCII they stand for (NFKC) at every boundary: the zod schemas of the API, the
// barcode checks, the wedge detector and the renderer's scan routing (issue 7, item 9).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { api } from '../../../shared/api';
import { normalizeCode, validateBarcode } from '../../../shared/barcode';
import { createWedgeDetector } from '../../../shared/wedge';

// Loaded by path: the renderer's files belong to the web TS project, not this one.
const scanRouter = '../../../renderer/src/keys/layers.ts';
const { pushLayer, routeScan } = (await import(/* @vite-ignore */ scanRouter)) as {
  pushLayer(layer: { onScan?(code: string): boolean | void }): () => void;
  routeScan(code: string): boolean;
};

const FULL = '６９０１０２８０７５８６２';
const ASCII = '6901028075862';

/** The full-width form (U+FF01–U+FF5E) of printable ASCII, as an IME in 全角 mode types it. */
const fullWidth = (s: string) => s.replace(/[\x21-\x7e]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

const parse = (name: keyof typeof api, input: unknown) => api[name].input.safeParse(input);

describe('normalizeCode', () => {
  it('turns full-width digits and letters into ASCII and trims spaces, the ideographic one included', () => {
    expect(normalizeCode(FULL)).toBe(ASCII);
    expect(normalizeCode('\u3000６９０１ＡＢｃ－１ ')).toBe('6901ABc-1');
    expect(normalizeCode('可口可乐')).toBe('可口可乐');
  });

  it('reads any full-width printable ASCII as the ASCII itself', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[\x21-\x7e]{1,40}$/), (s) => {
        expect(normalizeCode(fullWidth(s))).toBe(s);
      }),
    );
  });

  it('validateBarcode accepts a full-width EAN-13 and still checks its check digit', () => {
    expect(validateBarcode(FULL)).toEqual({ ok: true, kind: 'ean13', normalized: ASCII });
    expect(validateBarcode('６９０１０２８０７５８６３')).toMatchObject({ ok: false, code: 'BAD_CHECK_DIGIT' });
  });
});

describe('the API schemas normalise codes before validating them', () => {
  it('cart.scan, catalog.lookup and catalog.createQuick take a full-width barcode as its ASCII', () => {
    for (const [name, input, key] of [
      ['cart.scan', { code: FULL }, 'code'],
      ['catalog.lookup', { code: FULL }, 'code'],
      ['catalog.createQuick', { barcode: FULL, name: '新品', priceFen: 100 }, 'barcode'],
    ] as const) {
      const r = parse(name, input);
      expect(r.success, name).toBe(true);
      expect((r.data as Record<string, unknown>)[key], name).toBe(ASCII);
    }
  });

  it('still refuses what is not a code, with the Chinese message', () => {
    const r = parse('cart.scan', { code: '可口可乐' });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].message).toBe('条码只能包含字母、数字和符号');
    expect(parse('cart.scan', { code: '\u3000\u3000' }).success).toBe(false); // only spaces: empty
  });

  it('search text, receipt numbers, member phones and terminal references are normalised too', () => {
    expect((parse('catalog.search', { q: 'ｋｋｋｌ' }).data as { q: string }).q).toBe('kkkl');
    expect((parse('catalog.search', { q: '６９２０' }).data as { q: string }).q).toBe('6920');
    expect((parse('sales.find', { receiptNo: 'Ｔ０１－２０２６' }).data as { receiptNo: string }).receiptNo).toBe('T01-2026');
    expect((parse('cart.attachMember', { phone: '１３８００１３８０００' }).data as { phone: string }).phone).toBe('13800138000');
    const pay = parse('sales.pay', {
      requestId: '0190a0b0-0000-7000-8000-000000000000',
      payments: [{ method: 'card_terminal', amountFen: 100, reference: 'ＲＥＦ１２３４' }],
    });
    expect((pay.data as { payments: { reference: string }[] }).payments[0].reference).toBe('REF1234');
    const ret = parse('sales.return', {
      requestId: '0190a0b0-0000-7000-8000-000000000000',
      saleId: 's',
      lines: [{ lineId: 'l', qty: 1000 }],
      refundReferences: { card_terminal: '９８７６５' },
    });
    expect((ret.data as { refundReferences: { card_terminal: string } }).refundReferences.card_terminal).toBe('98765');
  });
});

describe('wedge detector', () => {
  it('a scan typed through an IME in full-width mode is the ASCII code', () => {
    const d = createWedgeDetector();
    let t = 1000;
    for (const k of [...FULL]) expect(d.feed(k, (t += 8))).toBeNull();
    expect(d.feed('Enter', (t += 8))).toEqual({ type: 'scan', code: ASCII });
  });
});

describe('renderer scan routing', () => {
  it('hands the top layer the ASCII code of a full-width one, and routes nothing for only spaces', () => {
    const got: string[] = [];
    const pop = pushLayer({ onScan: (c) => void got.push(c) });
    try {
      expect(routeScan(`\u3000${FULL}`)).toBe(true);
      expect(routeScan('\u3000 ')).toBe(false);
    } finally {
      pop();
    }
    expect(got).toEqual([ASCII]);
  });
});
