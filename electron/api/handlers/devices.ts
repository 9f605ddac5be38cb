// Devices, printing, receipt template and drawer endpoints (shared/api/devices.ts): each maps its
// input to a call of a device module, which checks and audits.
import type { devicesApi } from '../../../shared/api/devices';
import { saveDevice, removeDevice, testDeviceAudited } from '../../devices/device-settings';
import { noSaleOpen } from '../../devices/drawer';
import { recentJobs, virtualReceipts } from '../../devices/job-views';
import { cancelJob, confirmNotPrinted, reprintJob } from '../../devices/print-decisions';
import { previewReceipt } from '../../devices/receipt-preview';
import { receiptSettingsView, saveReceiptSettings } from '../../devices/receipt-settings';
import type { Handlers } from '../registry';
import { requireDevices } from '../services';

export const devicesHandlers: Handlers<typeof devicesApi> = {
  'devices.list': (_i, s) => requireDevices(s).list(),
  'devices.save': ({ device }, s) => saveDevice(s.till, requireDevices(s), device),
  'devices.remove': ({ id }, s) => removeDevice(s.till, requireDevices(s), id),
  'devices.test': ({ id, action }, s) => testDeviceAudited(s.till, requireDevices(s), id, action),
  'devices.serialPorts': (_i, s) => requireDevices(s).serialPorts(),
  'devices.displayState': (_i, s) => requireDevices(s).displayState(),

  'print.jobs': ({ limit, attentionOnly }, s) => (requireDevices(s), recentJobs(s.till, limit, attentionOnly)),
  'print.preview': (input, s) => previewReceipt(s.till, requireDevices(s), input),
  'print.confirmNotPrinted': ({ jobId }, s) => confirmNotPrinted(s.till, requireDevices(s), jobId),
  'print.reprintJob': ({ jobId }, s) => reprintJob(s.till, requireDevices(s), jobId),
  'print.cancel': ({ jobId }, s) => cancelJob(s.till, requireDevices(s), jobId),
  'print.virtualJobs': ({ limit }, s) => (requireDevices(s), virtualReceipts(s.till, limit)),

  'receipt.settings': (_i, s) => receiptSettingsView(s.till),
  'receipt.saveSettings': (input, s) => saveReceiptSettings(s.till, input),

  'drawer.open': ({ approval, reason }, s) => noSaleOpen(s.till, requireDevices(s), { approval, reason }),

  'scale.weight': (_i, s) => s.devices?.weight() ?? null,
  'scale.tare': ({ clear }, s) => requireDevices(s).tare(clear),
};
