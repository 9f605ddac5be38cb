// The receipt template settings (店名、标志、地址、电话、页眉页脚、显示项目): a JSON row of the settings
// table (key 'receipt.template', checked with zod on every read and write; a corrupt row falls back
// to the defaults) and the shop's logo file under <dataDir>/receipt-logo/.
//
// A logo is checked (logo.ts: PNG, at most 2000×2000) before it is stored or drawn. The folder holds
// the current logo only: saving another removes the old file. A preview of an unsaved logo is drawn
// from memory and never written.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { ApiParsed } from '../../shared/api';
import { receiptSettingsSchema, type ReceiptSettingsView } from '../../shared/api/devices';
import { TillError } from '../../shared/errors';
import { log } from '../api/log';
import { audit } from '../till/audit';
import type { Till } from '../till/till';
import { readDevices, readRow, writeRow } from './config';
import type { ReceiptDocument } from './receipt/document';
import { LogoError, logoBitmap } from './receipt/logo';
import { DEFAULT_TEMPLATE_SETTINGS, logoMaxDots, saleReceipt, type ReceiptTemplateSettings } from './receipt/templates';
import { sampleSale } from './sample-receipt';

export const RECEIPT_KEY = 'receipt.template';

export interface StoredReceiptSettings {
  shopName?: string;
  address: string;
  phone: string;
  header: string;
  footer: string;
  /** File name of the logo under <dataDir>/receipt-logo/, or null. */
  logoFile: string | null;
  show: ReceiptTemplateSettings['show'];
}

export type ReceiptSettingsInput = ApiParsed<'receipt.saveSettings'>;

const storedSchema = receiptSettingsSchema
  .partial({ shopName: true })
  .extend({ logoFile: z.string().regex(/^[0-9a-f]{24}\.png$/).nullable().default(null) });

export const DEFAULT_RECEIPT: StoredReceiptSettings = {
  address: '',
  phone: '',
  header: '欢迎光临',
  footer: '谢谢惠顾，欢迎再来',
  logoFile: null,
  show: { ...DEFAULT_TEMPLATE_SETTINGS.show },
};

export function readReceiptSettings(till: Till): StoredReceiptSettings {
  try {
    const raw = readRow(till.db, RECEIPT_KEY);
    if (raw === undefined) return structuredClone(DEFAULT_RECEIPT);
    return storedSchema.parse(raw) as StoredReceiptSettings;
  } catch {
    log.warn('corrupt receipt template settings, using defaults');
    return structuredClone(DEFAULT_RECEIPT);
  }
}

function writeReceiptSettings(till: Till, s: StoredReceiptSettings): void {
  writeRow(till.db, RECEIPT_KEY, storedSchema.parse(s), till.now());
}

// ------------------------------------------------------------------------------------------------
// The logo file

export const logoDir = (till: Till) => join(till.options.dataDir, 'receipt-logo');

/** The PNG bytes of a logo data URL, checked; a refusal is a Chinese BAD_INPUT. */
function logoBytes(dataUrl: string, maxDots: { width: number; height: number }): { bytes: Buffer; bitmap: ReturnType<typeof logoBitmap> } {
  const bytes = Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');
  try {
    return { bytes, bitmap: logoBitmap(bytes, maxDots.width, maxDots.height) };
  } catch (e) {
    if (e instanceof LogoError) throw new TillError('BAD_INPUT', e.message);
    throw e;
  }
}

/** Stores a checked logo content-addressed (the bitmap cache is keyed by path). Returns the file name. */
function storeLogo(till: Till, dataUrl: string): string {
  const { bytes } = logoBytes(dataUrl, logoMaxDots(80));
  const name = `${createHash('sha256').update(bytes).digest('hex').slice(0, 24)}.png`;
  mkdirSync(logoDir(till), { recursive: true });
  const file = join(logoDir(till), name);
  if (!existsSync(file)) writeFileSync(file, bytes);
  return name;
}

/** Removes every logo file but the one in use (old logos, and those older versions left by previews). */
function removeOldLogos(till: Till, keep: string | null): void {
  let names: string[];
  try {
    names = readdirSync(logoDir(till));
  } catch {
    return;
  }
  for (const name of names) {
    if (name !== keep) rmSync(join(logoDir(till), name), { force: true, recursive: true });
  }
}

export function logoDataUrl(till: Till, file: string | null): string | null {
  if (!file) return null;
  try {
    return `data:image/png;base64,${readFileSync(join(logoDir(till), file)).toString('base64')}`;
  } catch {
    return null;
  }
}

// ------------------------------------------------------------------------------------------------
// Views, saving, preview

/** What the templates get: stored settings + the shop name + the paper of the printer that prints. */
export function templateSettings(till: Till, s: StoredReceiptSettings, paper: 58 | 80): ReceiptTemplateSettings {
  return {
    paper,
    shopName: s.shopName || till.settings.get('shop.name'),
    address: s.address || undefined,
    phone: s.phone || undefined,
    header: s.header || undefined,
    footer: s.footer || undefined,
    logoPath: s.logoFile ? join(logoDir(till), s.logoFile) : undefined,
    show: { ...s.show },
  };
}

/** Paper of the receipt printer (the first enabled printer with the receipt role, else the first). */
export function receiptPaper(till: Till): 58 | 80 {
  const printers = readDevices(till.db).filter((d) => d.kind === 'printer' && d.enabled);
  const p = printers.find((d) => d.kind === 'printer' && d.roles.includes('receipt')) ?? printers[0];
  return p && p.kind === 'printer' ? p.paper : 80;
}

export function receiptSettingsView(till: Till): ReceiptSettingsView {
  const s = readReceiptSettings(till);
  return {
    shopName: s.shopName || till.settings.get('shop.name'),
    address: s.address,
    phone: s.phone,
    header: s.header,
    footer: s.footer,
    show: { ...s.show },
    logo: logoDataUrl(till, s.logoFile),
    paper: receiptPaper(till),
  };
}

/** Saves the template (and the shop name) in one transaction with an audit row; the old logo goes. */
export function saveReceiptSettings(till: Till, input: ReceiptSettingsInput): ReceiptSettingsView {
  const session = till.auth.requireSession();
  const before = readReceiptSettings(till);
  const { logo, ...fields } = input;
  const logoFile = logo === undefined ? before.logoFile : logo === null ? null : storeLogo(till, logo);
  const next: StoredReceiptSettings = { ...fields, logoFile };
  till.tx(() => {
    writeReceiptSettings(till, next);
    till.settings.set('shop.name', fields.shopName, till.now());
    audit(till.db, { userId: session.userId, action: 'receipt.settings', details: { before, after: next } }, till.now());
  });
  removeOldLogos(till, logoFile);
  return receiptSettingsView(till);
}

/** A sample sale's receipt with the stored settings, or with an unsaved draft (its logo from memory). */
export function sampleReceipt(till: Till, draft: ApiParsed<'print.preview'>['draft'], paper = receiptPaper(till)): ReceiptDocument {
  const stored = readReceiptSettings(till);
  let settings = templateSettings(till, stored, paper);
  if (draft) {
    const { logo, ...fields } = draft;
    settings = templateSettings(till, { ...fields, logoFile: logo === undefined ? stored.logoFile : null }, paper);
    if (logo) settings.logoImage = logoBytes(logo, logoMaxDots(paper)).bitmap;
  }
  return saleReceipt(sampleSale(till.now(), till.tillId), settings);
}
