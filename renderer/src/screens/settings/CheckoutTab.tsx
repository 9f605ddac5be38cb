// 收银设置: 抹零, repeat scans, the cashier's discount limits, shift before sales, label-scale barcode
// layouts (with a live "try a code" example), till number, business-day cutoff and PIN lockout.
// Every field is checked as it is typed by the same shared schema the main side applies on save;
// saving is manager-only (checked on the main side), a cashier sees the values read-only.
import { useEffect, useMemo, useState, type CSSProperties, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CHECKOUT_SETTING_KEYS,
  DEFAULT_SCALE_LAYOUTS,
  settingSchemas,
  type CheckoutSettingKey,
  type CheckoutSettings,
} from '../../../../shared/api/settings';
import { ROLE_RANK } from '../../../../shared/api/endpoint';
import { checkScaleLayout, gtinCheckDigit, makeScaleBarcode, parseScaleBarcode } from '../../../../shared/barcode';
import { bpToZhe, formatYuan, parseYuan, roundTotal, ROUNDING_MODES, zheToBp, type RoundingMode } from '../../../../shared/money';
import { call } from '../../api/client';
import { useSession } from '../../stores/session';

/** What the inputs hold while editing (numbers as typed). */
interface Draft {
  rounding: RoundingMode;
  merge: boolean;
  requireShift: boolean;
  zhe: string;
  limitYuan: string;
  bigCashYuan: string;
  layouts: string[];
  tillId: string;
  cutoff: string;
  failures: string;
  minutes: string;
}

const trimZeros = (s: string) => (s.includes('.') ? s.replace(/\.?0+$/, '') : s);
const yuanToFen = (text: string) => {
  try {
    return parseYuan(text);
  } catch {
    return NaN;
  }
};
const int = (s: string) => (s.trim() === '' ? NaN : Number(s));

function toDraft(s: CheckoutSettings): Draft {
  return {
    rounding: s['checkout.rounding'],
    merge: s['checkout.mergeRepeatScans'],
    requireShift: s['checkout.requireShift'],
    zhe: bpToZhe(s['checkout.cashierDiscountLimitBp']),
    limitYuan: trimZeros((s['checkout.cashierDiscountLimitFen'] / 100).toFixed(2)),
    bigCashYuan: trimZeros((s['checkout.cashOverConfirmFen'] / 100).toFixed(2)),
    layouts: [...s['checkout.scaleLayouts']],
    tillId: s['till.id'],
    cutoff: String(s['day.cutoffHour']),
    failures: String(s['auth.maxPinFailures']),
    minutes: String(s['auth.lockoutMinutes']),
  };
}

function toValues(d: Draft): { [K in CheckoutSettingKey]: unknown } {
  return {
    'checkout.rounding': d.rounding,
    'checkout.mergeRepeatScans': d.merge,
    'checkout.requireShift': d.requireShift,
    'checkout.cashierDiscountLimitBp': zheToBp(d.zhe) ?? NaN, // NaN: the schema refuses it, worded for the 折 field
    'checkout.cashierDiscountLimitFen': yuanToFen(d.limitYuan),
    'checkout.cashOverConfirmFen': yuanToFen(d.bigCashYuan),
    'checkout.scaleLayouts': d.layouts,
    'till.id': d.tillId,
    'day.cutoffHour': int(d.cutoff),
    'auth.maxPinFailures': int(d.failures),
    'auth.lockoutMinutes': int(d.minutes),
  };
}

/** The bounds of an integer setting, read from its schema (so they are written once, in shared/). */
function bounds(key: 'day.cutoffHour' | 'auth.maxPinFailures' | 'auth.lockoutMinutes' | 'checkout.cashierDiscountLimitBp' | 'checkout.cashierDiscountLimitFen' | 'checkout.cashOverConfirmFen') {
  const n = settingSchemas[key].unwrap();
  return { min: n.minValue ?? 0, max: n.maxValue ?? 0 };
}
/** Whether the list may grow by one more layout (the list's own limit, from its schema). */
const layoutsRule = settingSchemas['checkout.scaleLayouts'].unwrap();
const roomForOneMore = (n: number) => layoutsRule.safeParse(Array<string>(n + 1).fill(DEFAULT_SCALE_LAYOUTS[0])).success;

/** checkScaleLayout's reason, in the UI's language. */
function layoutError(layout: string, en: boolean): string | null {
  try {
    checkScaleLayout(layout);
    return null;
  } catch (e) {
    const zh = (e as Error).message;
    if (!en) return zh;
    if (zh.includes('(P)')) return 'Needs item-code digits (P)';
    if (zh.includes('(W)')) return 'Needs weight (W) or price ($) digits';
    return 'Only 0–9 F P W $ X, ending in C';
  }
}

const S: Record<string, CSSProperties> = {
  top: { display: 'grid', gridTemplateColumns: 'minmax(0, 1.2fr) minmax(0, 1fr)', gap: 16, alignItems: 'start' },
  stack: { display: 'flex', flexDirection: 'column', gap: 16, minWidth: 0 },
  card: { border: '1px solid var(--line)', borderRadius: 10, padding: '10px 14px 14px', background: '#fbfbfc', display: 'flex', flexDirection: 'column', gap: 10, minWidth: 0 },
  h3: { margin: '2px 0 2px', fontSize: 18 },
  row: { display: 'grid', gridTemplateColumns: '132px minmax(0, 1fr)', columnGap: 10, rowGap: 4, alignItems: 'center' },
  label: { color: 'var(--muted)', fontSize: 16 },
  control: { display: 'flex', alignItems: 'center', gap: 8, flexWrap: 'wrap', minWidth: 0 },
  below: { gridColumn: 2, margin: 0, fontSize: 14, color: 'var(--muted)' },
  unit: { fontSize: 16 },
  num: { flex: '0 0 110px', minWidth: 0 },
  layouts: { display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(250px, 1fr))', gap: 8 },
  layoutRow: { display: 'flex', gap: 6, alignItems: 'center' },
  mono: { flex: 1, minWidth: 0, fontFamily: "'WenQuanYi Micro Hei Mono', monospace", letterSpacing: 1 },
  remove: { minWidth: 44, padding: 0, fontSize: 20, lineHeight: 1 },
  letters: { margin: 0, fontSize: 15, color: 'var(--ink)', lineHeight: 1.6 },
  tryBox: { border: '1px dashed #b9c0c8', borderRadius: 8, padding: 10, display: 'grid', gridTemplateColumns: 'auto minmax(0, 1fr)', gap: '6px 10px', alignItems: 'center', background: '#fff' },
  tryResult: { gridColumn: 2, fontSize: 17, minHeight: 26, overflowWrap: 'anywhere', fontWeight: 600 },
  foot: { position: 'sticky', bottom: -24, background: 'var(--panel)', borderTop: '1px solid var(--line)', marginTop: 12, paddingBottom: 12, zIndex: 1 },
};

/** A label and its control side by side; `wide` puts the control under the label, across the card. */
function Row(props: { label: string; children: ReactNode; hint?: string; error?: string | null; testId?: string; wide?: boolean }) {
  const below = props.wide ? { ...S.below, gridColumn: 1 } : S.below;
  return (
    <div style={props.wide ? { ...S.row, gridTemplateColumns: 'minmax(0, 1fr)' } : S.row} data-testid={props.testId}>
      <span style={S.label}>{props.label}</span>
      <div style={S.control}>{props.children}</div>
      {props.error ? (
        <p className="settings-error" style={{ ...below, color: 'var(--err)', fontSize: 15 }} role="alert">
          {props.error}
        </p>
      ) : (
        props.hint && <p style={below}>{props.hint}</p>
      )}
    </div>
  );
}

function Seg<T extends string | boolean>(props: { value: T; options: { v: T; text: string }[]; disabled: boolean; onChange(v: T): void; testId: string; label: string }) {
  return (
    <div className="st-seg st-seg-wrap" role="radiogroup" aria-label={props.label} data-testid={props.testId}>
      {props.options.map((o) => (
        <button
          key={String(o.v)}
          type="button"
          role="radio"
          aria-checked={props.value === o.v}
          className={`st-seg-btn ${props.value === o.v ? 'on' : ''}`}
          disabled={props.disabled}
          style={props.disabled && props.value !== o.v ? { color: 'var(--ink)', cursor: 'default' } : props.disabled ? { cursor: 'default' } : undefined}
          onClick={() => props.onChange(o.v)}
          data-testid={`${props.testId}-${String(o.v)}`}
        >
          {o.text}
        </button>
      ))}
    </div>
  );
}

export function CheckoutTab({ onOpenReceipt }: { onOpenReceipt(): void }) {
  const { t, i18n } = useTranslation();
  const en = i18n.language.startsWith('en');
  const session = useSession((s) => s.session);
  const canManage = !!session && ROLE_RANK[session.role] >= ROLE_RANK.manager;
  const ro = !canManage;
  const [saved, setSaved] = useState<CheckoutSettings | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [tryCode, setTryCode] = useState('');

  useEffect(() => {
    call('settings.checkout', {})
      .then((s) => {
        setSaved(s);
        setDraft(toDraft(s));
        try {
          const weightLayout = s['checkout.scaleLayouts'].find((l) => l.includes('W')) ?? s['checkout.scaleLayouts'][0];
          if (weightLayout) setTryCode(makeScaleBarcode(weightLayout, { plu: 1, weightGrams: 1234, priceFen: 1234 }));
        } catch {
          // an unusual layout: the example field simply starts empty
        }
      })
      .catch((e) => setMessage({ ok: false, text: t('checkoutSettings.loadFailed', { message: (e as Error).message }) }));
  }, [t]);

  // Per-field problems, by the same schemas the main side applies.
  const problems = useMemo(() => {
    const out: Partial<Record<CheckoutSettingKey, string>> = {};
    if (!draft) return out;
    const values = toValues(draft);
    for (const key of CHECKOUT_SETTING_KEYS) {
      if (key === 'checkout.scaleLayouts') continue; // per row, below
      const r = settingSchemas[key].safeParse(values[key]);
      if (!r.success) out[key] = en ? t('checkoutSettings.outOfRange') : r.error.issues[0].message;
    }
    // 折 are typed, basis points stored: a refusal is worded for the 折 field.
    if (out['checkout.cashierDiscountLimitBp']) out['checkout.cashierDiscountLimitBp'] = t('checkoutSettings.discountZhe.bad');
    if (Number.isNaN(values['checkout.cashierDiscountLimitFen'])) out['checkout.cashierDiscountLimitFen'] = t('checkoutSettings.discountYuan.bad');
    if (Number.isNaN(values['checkout.cashOverConfirmFen'])) out['checkout.cashOverConfirmFen'] = t('checkoutSettings.discountYuan.bad');
    // The list as a whole (its length); each layout is checked on its own row.
    const list = layoutsRule.safeParse(draft.layouts.map(() => DEFAULT_SCALE_LAYOUTS[0]));
    if (!list.success) out['checkout.scaleLayouts'] = en ? t('checkoutSettings.scale.tooMany') : list.error.issues[0].message;
    return out;
  }, [draft, en, t]);
  const layoutProblems = useMemo(() => (draft ? draft.layouts.map((l) => layoutError(l, en)) : []), [draft, en]);

  // The live example: what the scan field would make of a code, with the layouts being edited.
  const tryResult = useMemo(() => {
    if (!draft) return null;
    const code = tryCode.trim();
    if (!code) return null;
    if (!/^\d+$/.test(code)) return { ok: false, text: t('checkoutSettings.scale.notDigits') };
    const valid = draft.layouts.filter((_, i) => layoutProblems[i] === null);
    const hit = parseScaleBarcode(code, valid);
    if (hit) {
      const parts = [`${t('checkoutSettings.scale.layout')} ${hit.layout}`, `${t('checkoutSettings.scale.plu')} ${hit.plu}`];
      if (hit.weightGrams !== undefined) parts.push(`${t('checkoutSettings.scale.weight')} ${(hit.weightGrams / 1000).toFixed(3)} kg`);
      if (hit.priceFen !== undefined) parts.push(`${t('checkoutSettings.scale.price')} ${formatYuan(hit.priceFen)}`);
      return { ok: true, text: parts.join(' · ') };
    }
    if (code.length > 1) {
      const digit = gtinCheckDigit(code.slice(0, -1));
      if (parseScaleBarcode(code.slice(0, -1) + digit, valid)) return { ok: false, text: t('checkoutSettings.scale.badCheck', { digit }) };
    }
    return { ok: false, text: t('checkoutSettings.scale.noMatch') };
  }, [draft, tryCode, layoutProblems, t]);

  if (!draft || !saved) {
    return message ? <p className="settings-error">{message.text}</p> : <p className="settings-note">{t('app.loading')}</p>;
  }
  const values = toValues(draft);
  const changedKeys = CHECKOUT_SETTING_KEYS.filter((k) => JSON.stringify(values[k]) !== JSON.stringify(saved[k]));
  const invalid = Object.keys(problems).length > 0 || layoutProblems.some((p) => p !== null);
  const set = (patch: Partial<Draft>) => {
    setMessage(null);
    setDraft({ ...draft, ...patch });
  };
  const setLayout = (i: number, v: string) => set({ layouts: draft.layouts.map((l, j) => (j === i ? v.toUpperCase().replace(/\s+/g, '') : l)) });

  const save = async () => {
    if (invalid) return setMessage({ ok: false, text: t('checkoutSettings.fixFirst') });
    if (!changedKeys.length) return setMessage({ ok: true, text: t('checkoutSettings.nothing') });
    setBusy(true);
    try {
      const input = Object.fromEntries(changedKeys.map((k) => [k, values[k]]));
      const r = await call('settings.saveCheckout', input);
      setSaved(r.settings);
      setDraft(toDraft(r.settings));
      const count = Object.keys(r.changed).length;
      setMessage({ ok: true, text: count ? t('checkoutSettings.saved', { count }) : t('checkoutSettings.nothing') });
      if (r.changed['till.id']) void useSession.getState().load(); // the status bar shows the till number
    } catch (e) {
      setMessage({ ok: false, text: (e as Error).message });
    } finally {
      setBusy(false);
    }
  };

  const zheBounds = bounds('checkout.cashierDiscountLimitBp');
  const fenBounds = bounds('checkout.cashierDiscountLimitFen');
  const bigCashBounds = bounds('checkout.cashOverConfirmFen');
  const withRange = (text: string, min: number | string, max: number | string) => t('checkoutSettings.withRange', { text, range: t('checkoutSettings.range', { min, max }) });
  const intRange = (text: string, key: 'day.cutoffHour' | 'auth.maxPinFailures' | 'auth.lockoutMinutes') => withRange(text, bounds(key).min, bounds(key).max);
  const bp = values['checkout.cashierDiscountLimitBp'] as number;
  const numberInput = (testId: string, value: string, problem: string | undefined, onChange: (v: string) => void, mode: 'numeric' | 'decimal' = 'numeric') => (
    <input
      className="st-input"
      style={S.num}
      inputMode={mode}
      value={value}
      disabled={ro}
      aria-invalid={!!problem}
      onChange={(e) => onChange(e.target.value)}
      data-testid={testId}
    />
  );

  return (
    <div className="checkout-settings" data-testid="checkout-settings">
      <header className="settings-head">
        <h2>{t('checkoutSettings.tab')}</h2>
      </header>
      {ro && (
        <p className="settings-note" data-testid="checkout-settings-readonly" style={{ fontSize: 17, color: '#8a5700', fontWeight: 600, marginTop: 0 }}>
          {t('checkoutSettings.managerOnly')}
        </p>
      )}
      <div style={S.top}>
        <section style={S.card} aria-labelledby="cs-checkout">
          <h3 id="cs-checkout" style={S.h3}>
            {t('checkoutSettings.group.checkout')}
          </h3>
          <Row wide label={t('checkoutSettings.rounding.label')} hint={t('checkoutSettings.rounding.example', { amount: formatYuan(roundTotal(2347, draft.rounding).rounded) })}>
            <Seg
              label={t('checkoutSettings.rounding.label')}
              testId="cs-rounding"
              value={draft.rounding}
              disabled={ro}
              options={ROUNDING_MODES.map((m) => ({ v: m, text: t(`checkoutSettings.rounding.${m}`) }))}
              onChange={(rounding) => set({ rounding })}
            />
          </Row>
          <Row label={t('checkoutSettings.merge.label')}>
            <Seg
              label={t('checkoutSettings.merge.label')}
              testId="cs-merge"
              value={draft.merge}
              disabled={ro}
              options={[
                { v: true, text: t('checkoutSettings.merge.on') },
                { v: false, text: t('checkoutSettings.merge.off') },
              ]}
              onChange={(merge) => set({ merge })}
            />
          </Row>
          <Row label={t('checkoutSettings.requireShift.label')}>
            <Seg
              label={t('checkoutSettings.requireShift.label')}
              testId="cs-require-shift"
              value={draft.requireShift}
              disabled={ro}
              options={[
                { v: true, text: t('checkoutSettings.requireShift.on') },
                { v: false, text: t('checkoutSettings.requireShift.off') },
              ]}
              onChange={(requireShift) => set({ requireShift })}
            />
          </Row>
          <Row
            label={t('checkoutSettings.discountZhe.label')}
            error={problems['checkout.cashierDiscountLimitBp']}
            hint={withRange(t('checkoutSettings.discountZhe.hint', { pct: Number.isNaN(bp) ? '–' : bp / 100 }), bpToZhe(zheBounds.max), bpToZhe(zheBounds.min))}
          >
            {numberInput('cs-discount-zhe', draft.zhe, problems['checkout.cashierDiscountLimitBp'], (zhe) => set({ zhe }), 'decimal')}
            <span style={S.unit}>{t('checkoutSettings.discountZhe.unit')}</span>
          </Row>
          <Row
            label={t('checkoutSettings.discountYuan.label')}
            error={problems['checkout.cashierDiscountLimitFen']}
            hint={withRange(t('checkoutSettings.discountYuan.hint'), fenBounds.min / 100, fenBounds.max / 100)}
          >
            {numberInput('cs-discount-yuan', draft.limitYuan, problems['checkout.cashierDiscountLimitFen'], (limitYuan) => set({ limitYuan }), 'decimal')}
            <span style={S.unit}>{t('checkoutSettings.discountYuan.unit')}</span>
          </Row>
          <Row
            label={t('checkoutSettings.bigCash.label')}
            error={problems['checkout.cashOverConfirmFen']}
            hint={withRange(t('checkoutSettings.bigCash.hint'), bigCashBounds.min / 100, bigCashBounds.max / 100)}
          >
            {numberInput('cs-big-cash', draft.bigCashYuan, problems['checkout.cashOverConfirmFen'], (bigCashYuan) => set({ bigCashYuan }), 'decimal')}
            <span style={S.unit}>{t('checkoutSettings.discountYuan.unit')}</span>
          </Row>
        </section>

        <div style={S.stack}>
          <section style={S.card} aria-labelledby="cs-till">
            <h3 id="cs-till" style={S.h3}>
              {t('checkoutSettings.group.till')}
            </h3>
            <Row label={t('checkoutSettings.tillId.label')} error={problems['till.id']} hint={t('checkoutSettings.tillId.hint')}>
              <input
                className="st-input"
                style={S.num}
                value={draft.tillId}
                disabled={ro}
                autoCapitalize="characters"
                aria-invalid={!!problems['till.id']}
                onChange={(e) => set({ tillId: e.target.value.toUpperCase().trim() })}
                data-testid="cs-till-id"
              />
            </Row>
            <Row label={t('checkoutSettings.cutoff.label')} error={problems['day.cutoffHour']} hint={intRange(t('checkoutSettings.cutoff.hint'), 'day.cutoffHour')}>
              {numberInput('cs-cutoff', draft.cutoff, problems['day.cutoffHour'], (cutoff) => set({ cutoff }))}
              <span style={S.unit}>{t('checkoutSettings.cutoff.unit')}</span>
            </Row>
          </section>

          <section style={S.card} aria-labelledby="cs-pin">
            <h3 id="cs-pin" style={S.h3}>
              {t('checkoutSettings.group.pin')}
            </h3>
            <Row label={t('checkoutSettings.pin.failures')} error={problems['auth.maxPinFailures']} hint={t('checkoutSettings.range', bounds('auth.maxPinFailures'))}>
              {numberInput('cs-pin-failures', draft.failures, problems['auth.maxPinFailures'], (failures) => set({ failures }))}
              <span style={S.unit}>{t('checkoutSettings.pin.failuresUnit')}</span>
            </Row>
            <Row label={t('checkoutSettings.pin.minutes')} error={problems['auth.lockoutMinutes']} hint={t('checkoutSettings.range', bounds('auth.lockoutMinutes'))}>
              {numberInput('cs-pin-minutes', draft.minutes, problems['auth.lockoutMinutes'], (minutes) => set({ minutes }))}
              <span style={S.unit}>{t('checkoutSettings.pin.minutesUnit')}</span>
            </Row>
          </section>

          <section style={S.card} aria-labelledby="cs-shop">
            <h3 id="cs-shop" style={S.h3}>
              {t('checkoutSettings.group.shop')}
            </h3>
            <p className="settings-note" style={{ margin: 0 }}>
              {t('checkoutSettings.shop.note')}
            </p>
            <div>
              <button type="button" className="btn" onClick={onOpenReceipt} data-testid="cs-open-receipt">
                {t('checkoutSettings.shop.open')} →
              </button>
            </div>
          </section>
        </div>
      </div>

      <section style={{ ...S.card, marginTop: 16 }} aria-labelledby="cs-scale">
        <h3 id="cs-scale" style={S.h3}>
          {t('checkoutSettings.group.scale')}
        </h3>
        <p style={S.letters}>{t('checkoutSettings.scale.letters')}</p>
        <label style={S.tryBox}>
          <span style={S.label}>{t('checkoutSettings.scale.try')}</span>
          <input
            className="st-input"
            style={S.mono}
            inputMode="numeric"
            value={tryCode}
            placeholder={t('checkoutSettings.scale.tryPlaceholder')}
            onChange={(e) => setTryCode(e.target.value)}
            data-scan-field /* a scanned label is typed here to be tried, not taken to 收银 (keys/app-keys) */
            data-testid="cs-try"
          />
          <span style={{ ...S.tryResult, color: tryResult?.ok ? 'var(--ok)' : 'var(--err)' }} data-testid="cs-try-result" aria-live="polite">
            {tryResult?.text ?? ''}
          </span>
        </label>
        {draft.layouts.length === 0 && <p className="settings-error">{t('checkoutSettings.scale.empty')}</p>}
        <div style={S.layouts} data-testid="cs-layouts">
          {draft.layouts.map((l, i) => (
            <div key={i}>
              <div style={S.layoutRow}>
                <input
                  className="st-input"
                  style={{ ...S.mono, ...(layoutProblems[i] ? { borderColor: 'var(--err)', borderWidth: 2 } : null) }}
                  value={l}
                  disabled={ro}
                  spellCheck={false}
                  autoCapitalize="characters"
                  aria-label={`${t('checkoutSettings.scale.label')} ${i + 1}`}
                  aria-invalid={layoutProblems[i] !== null}
                  onChange={(e) => setLayout(i, e.target.value)}
                  data-testid={`cs-layout-${i}`}
                />
                {!ro && (
                  <button
                    type="button"
                    className="btn"
                    style={S.remove}
                    aria-label={`${t('checkoutSettings.scale.remove')} ${l}`}
                    title={t('checkoutSettings.scale.remove')}
                    onClick={() => set({ layouts: draft.layouts.filter((_, j) => j !== i) })}
                    data-testid={`cs-layout-remove-${i}`}
                  >
                    ×
                  </button>
                )}
              </div>
              {layoutProblems[i] && (
                <p className="settings-error" role="alert" style={{ fontSize: 15 }} data-testid={`cs-layout-error-${i}`}>
                  {layoutProblems[i]}
                </p>
              )}
            </div>
          ))}
        </div>
        {problems['checkout.scaleLayouts'] && <p className="settings-error">{problems['checkout.scaleLayouts']}</p>}
        {!ro && (
          <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap' }}>
            <button type="button" className="btn" disabled={!roomForOneMore(draft.layouts.length)} onClick={() => set({ layouts: [...draft.layouts, '2FPPPPPWWWWWC'] })} data-testid="cs-layout-add">
              + {t('checkoutSettings.scale.add')}
            </button>
            <button type="button" className="btn" onClick={() => set({ layouts: [...DEFAULT_SCALE_LAYOUTS] })} data-testid="cs-layout-reset">
              {t('checkoutSettings.scale.reset')}
            </button>
          </div>
        )}
      </section>

      {!ro && (
        <div className="st-foot" style={S.foot}>
          {message && (
            <span className={message.ok ? 'settings-ok' : 'settings-error'} role="status" data-testid="cs-message">
              {message.text}
            </span>
          )}
          {!message && changedKeys.length > 0 && <span className="settings-note" style={{ marginRight: 'auto' }}>{t('checkoutSettings.unsaved', { count: changedKeys.length })}</span>}
          <button type="button" className="btn" disabled={!changedKeys.length || busy} onClick={() => set(toDraft(saved))} data-testid="cs-revert">
            {t('checkoutSettings.revert')}
          </button>
          <button type="button" className="btn primary" disabled={busy || !changedKeys.length} onClick={() => void save()} data-testid="cs-save">
            {t('checkoutSettings.save')}
          </button>
        </div>
      )}
    </div>
  );
}
