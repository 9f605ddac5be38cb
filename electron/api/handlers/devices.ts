// Devices, printing, receipt template and drawer endpoints (shared/api/devices.ts).
import type { ReceiptSettingsView } from '../../../shared/api/devices';
import { TillError } from '../../../shared/errors';
import {
  readDevices,
  readReceiptSettings,
  receiptSettingsView,
  storeLogo,
  templateSettings,
  writeDevices,
  writeReceiptSettings,
  type StoredReceiptSettings,
} from '../../devices/config';
import { noSaleOpen } from '../../devices/drawer';
import { devicesOf, jobView, maybeDevicesOf } from '../../devices/manager';
import { renderPng } from '../../devices/receipt/picture';
import { saleReceipt, type ReceiptJobPayload } from '../../devices/receipt/templates';
import { sampleSale } from '../../devices/sample-receipt';
import { audit } from '../../till/audit';
import type { Till } from '../../till/till';
import type { Impls } from '../registry';

const receiptPaper = (till: Till): 58 | 80 => {
  const printers = readDevices(till.sqlite).filter((d) => d.kind === 'printer' && d.enabled);
  const p = printers.find((d) => d.kind === 'printer' && d.roles.includes('receipt')) ?? printers[0];
  return p && p.kind === 'printer' ? p.paper : 80;
};

async function png(doc: Parameters<typeof renderPng>[0]): Promise<string> {
  try {
    return `data:image/png;base64,${(await renderPng(doc)).toString('base64')}`;
  } catch (e) {
    throw new TillError('NO_PREVIEW', `无法生成预览图：${(e as Error).message}`);
  }
}

/** Queue decisions throw plain Errors with Chinese messages: make them API errors. */
function decide<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof TillError) throw e;
    throw new TillError('BAD_STATE', (e as Error).message);
  }
}

export const devicesHandlers: Impls = {
  'devices.list': (_i, till) => devicesOf(till).list(),

  'devices.save': async ({ device }, till) => {
    const session = till.auth.requireSession();
    const list = readDevices(till.sqlite);
    const i = list.findIndex((d) => d.id === device.id);
    const before = i >= 0 ? list[i] : null;
    const next = i >= 0 ? list.map((d) => (d.id === device.id ? device : d)) : [...list, device];
    till.tx(() => {
      writeDevices(till.sqlite, next, till.now());
      audit(till.sqlite, { userId: session.userId, action: 'devices.save', target: device.id, details: { before, after: device } }, till.now());
    });
    await devicesOf(till).reconfigure();
    return devicesOf(till).list();
  },

  'devices.remove': async ({ id }, till) => {
    const session = till.auth.requireSession();
    const list = readDevices(till.sqlite);
    const gone = list.find((d) => d.id === id);
    if (!gone) throw new TillError('NOT_FOUND', '没有这个设备');
    till.tx(() => {
      writeDevices(till.sqlite, list.filter((d) => d.id !== id), till.now());
      audit(till.sqlite, { userId: session.userId, action: 'devices.remove', target: id, details: { before: gone } }, till.now());
    });
    await devicesOf(till).reconfigure();
    return devicesOf(till).list();
  },

  'devices.test': async ({ id, action }, till) => {
    const session = till.auth.requireSession();
    const message = await devicesOf(till).test(id, action);
    if (action === 'drawer' || readDevices(till.sqlite).find((d) => d.id === id)?.kind === 'drawer_box') {
      audit(till.sqlite, { userId: session.userId, action: 'drawer.test', target: id }, till.now());
    }
    return { ok: true, message };
  },

  'devices.serialPorts': (_i, till) => devicesOf(till).serialPorts(),

  'devices.displayState': (_i, till) => devicesOf(till).feed.current(),

  'print.jobs': ({ limit, attentionOnly }, till) => devicesOf(till).jobs(limit, attentionOnly),

  'print.preview': async ({ jobId, draft, paper }, till) => {
    const m = devicesOf(till);
    if (jobId) {
      const row = m.job(jobId);
      const doc = m.documentFor(JSON.parse(row.payload) as ReceiptJobPayload, row, paper);
      return { png: await png(doc), paper: doc.paper };
    }
    const p = paper ?? receiptPaper(till);
    const stored = readReceiptSettings(till);
    let s: StoredReceiptSettings = stored;
    if (draft) {
      const logoFile = draft.logo === undefined ? stored.logoFile : draft.logo === null ? null : storeLogo(till, draft.logo);
      s = { ...draft, logoFile };
    }
    const doc = saleReceipt(sampleSale(till.now(), till.tillId), templateSettings(till, s, p));
    return { png: await png(doc), paper: p };
  },

  'print.confirmNotPrinted': ({ jobId }, till) => {
    const session = till.auth.requireSession();
    const q = devicesOf(till).printQueue();
    decide(() => q.confirmNotPrinted(jobId));
    audit(till.sqlite, { userId: session.userId, action: 'print.confirm_not_printed', target: jobId }, till.now());
    return jobView(devicesOf(till).job(jobId));
  },

  'print.reprintJob': ({ jobId }, till) => {
    const session = till.auth.requireSession();
    const m = devicesOf(till);
    m.job(jobId);
    const id = decide(() => m.printQueue().reprint(jobId, { by: session.name, at: till.now() }));
    audit(till.sqlite, { userId: session.userId, action: 'print.reprint', target: jobId, details: { copy: id } }, till.now());
    return jobView(m.job(id));
  },

  'print.cancel': ({ jobId }, till) => {
    const session = till.auth.requireSession();
    const m = devicesOf(till);
    m.job(jobId);
    decide(() => m.printQueue().cancel(jobId));
    audit(till.sqlite, { userId: session.userId, action: 'print.cancel', target: jobId }, till.now());
    return jobView(m.job(jobId));
  },

  'print.virtualJobs': ({ limit }, till) => devicesOf(till).virtualJobs(limit),

  'receipt.settings': (_i, till) => receiptSettingsView(till, receiptPaper(till)),

  'receipt.saveSettings': (input, till): ReceiptSettingsView => {
    const session = till.auth.requireSession();
    const before = readReceiptSettings(till);
    const { logo, ...fields } = input;
    const logoFile = logo === undefined ? before.logoFile : logo === null ? null : storeLogo(till, logo);
    const next: StoredReceiptSettings = { ...fields, logoFile };
    till.tx(() => {
      writeReceiptSettings(till, next);
      till.settings.set('shop.name', fields.shopName, till.now());
      audit(till.sqlite, { userId: session.userId, action: 'receipt.settings', details: { before, after: next } }, till.now());
    });
    return receiptSettingsView(till, receiptPaper(till));
  },

  'drawer.open': ({ approval, reason }, till) => noSaleOpen(till, { approval, reason }),

  'scale.weight': (_i, till) => maybeDevicesOf(till)?.weight() ?? null,
  'scale.tare': ({ clear }, till) => devicesOf(till).tare(clear),
};
