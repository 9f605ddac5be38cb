// Devices, printing, receipt template and drawer endpoints (shared/api/devices.ts).
import type { ReceiptSettingsView, devicesApi } from '../../../shared/api/devices';
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
import { jobView } from '../../devices/manager';
import { renderPng } from '../../devices/receipt/picture';
import { saleReceipt, type ReceiptJobPayload } from '../../devices/receipt/templates';
import { sampleSale } from '../../devices/sample-receipt';
import { audit } from '../../till/audit';
import type { Till } from '../../till/till';
import type { Handlers } from '../registry';
import { requireDevices } from '../services';

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

export const devicesHandlers: Handlers<typeof devicesApi> = {
  'devices.list': (_i, s) => requireDevices(s).list(),

  'devices.save': async ({ device }, s) => {
    const session = s.till.auth.requireSession();
    const list = readDevices(s.till.sqlite);
    const i = list.findIndex((d) => d.id === device.id);
    const before = i >= 0 ? list[i] : null;
    const next = i >= 0 ? list.map((d) => (d.id === device.id ? device : d)) : [...list, device];
    s.till.tx(() => {
      writeDevices(s.till.sqlite, next, s.till.now());
      audit(s.till.sqlite, { userId: session.userId, action: 'devices.save', target: device.id, details: { before, after: device } }, s.till.now());
    });
    await requireDevices(s).reconfigure();
    return requireDevices(s).list();
  },

  'devices.remove': async ({ id }, s) => {
    const session = s.till.auth.requireSession();
    const list = readDevices(s.till.sqlite);
    const gone = list.find((d) => d.id === id);
    if (!gone) throw new TillError('NOT_FOUND', '没有这个设备');
    s.till.tx(() => {
      writeDevices(s.till.sqlite, list.filter((d) => d.id !== id), s.till.now());
      audit(s.till.sqlite, { userId: session.userId, action: 'devices.remove', target: id, details: { before: gone } }, s.till.now());
    });
    await requireDevices(s).reconfigure();
    return requireDevices(s).list();
  },

  'devices.test': async ({ id, action }, s) => {
    const session = s.till.auth.requireSession();
    const message = await requireDevices(s).test(id, action);
    if (action === 'drawer' || readDevices(s.till.sqlite).find((d) => d.id === id)?.kind === 'drawer_box') {
      audit(s.till.sqlite, { userId: session.userId, action: 'drawer.test', target: id }, s.till.now());
    }
    return { ok: true, message };
  },

  'devices.serialPorts': (_i, s) => requireDevices(s).serialPorts(),

  'devices.displayState': (_i, s) => requireDevices(s).feed.current(),

  'print.jobs': ({ limit, attentionOnly }, s) => requireDevices(s).jobs(limit, attentionOnly),

  'print.preview': async ({ jobId, draft, paper }, services) => {
    const { till } = services;
    const m = requireDevices(services);
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

  'print.confirmNotPrinted': ({ jobId }, s) => {
    const session = s.till.auth.requireSession();
    const q = requireDevices(s).printQueue();
    decide(() => q.confirmNotPrinted(jobId));
    audit(s.till.sqlite, { userId: session.userId, action: 'print.confirm_not_printed', target: jobId }, s.till.now());
    return jobView(requireDevices(s).job(jobId));
  },

  'print.reprintJob': ({ jobId }, s) => {
    const session = s.till.auth.requireSession();
    const m = requireDevices(s);
    m.job(jobId);
    const id = decide(() => m.printQueue().reprint(jobId, { by: session.name, at: s.till.now() }));
    audit(s.till.sqlite, { userId: session.userId, action: 'print.reprint', target: jobId, details: { copy: id } }, s.till.now());
    return jobView(m.job(id));
  },

  'print.cancel': ({ jobId }, s) => {
    const session = s.till.auth.requireSession();
    const m = requireDevices(s);
    m.job(jobId);
    decide(() => m.printQueue().cancel(jobId));
    audit(s.till.sqlite, { userId: session.userId, action: 'print.cancel', target: jobId }, s.till.now());
    return jobView(m.job(jobId));
  },

  'print.virtualJobs': ({ limit }, s) => requireDevices(s).virtualJobs(limit),

  'receipt.settings': (_i, s) => receiptSettingsView(s.till, receiptPaper(s.till)),

  'receipt.saveSettings': (input, s): ReceiptSettingsView => {
    const session = s.till.auth.requireSession();
    const before = readReceiptSettings(s.till);
    const { logo, ...fields } = input;
    const logoFile = logo === undefined ? before.logoFile : logo === null ? null : storeLogo(s.till, logo);
    const next: StoredReceiptSettings = { ...fields, logoFile };
    s.till.tx(() => {
      writeReceiptSettings(s.till, next);
      s.till.settings.set('shop.name', fields.shopName, s.till.now());
      audit(s.till.sqlite, { userId: session.userId, action: 'receipt.settings', details: { before, after: next } }, s.till.now());
    });
    return receiptSettingsView(s.till, receiptPaper(s.till));
  },

  'drawer.open': ({ approval, reason }, s) => noSaleOpen(s.till, requireDevices(s), { approval, reason }),

  'scale.weight': (_i, s) => s.devices?.weight() ?? null,
  'scale.tare': ({ clear }, s) => requireDevices(s).tare(clear),
};
