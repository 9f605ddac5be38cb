// The receipt picture the settings screen and the print job list show: a queued job as its printer
// prints it, or a sample sale with the stored template or an unsaved draft.
import type { ApiParsed } from '../../shared/api';
import type { PreviewImage } from '../../shared/api/devices';
import { TillError } from '../../shared/errors';
import type { Till } from '../till/till';
import { jobRow } from './job-views';
import type { DeviceManager } from './manager';
import { payloadOf } from './print-queue';
import { sampleReceipt } from './receipt-settings';
import type { ReceiptDocument } from './receipt/document';
import { renderPng } from './receipt/picture';

async function pngDataUrl(doc: ReceiptDocument): Promise<string> {
  try {
    return `data:image/png;base64,${(await renderPng(doc)).toString('base64')}`;
  } catch (e) {
    throw new TillError('NO_PREVIEW', `无法生成预览图：${(e as Error).message}`);
  }
}

export async function previewReceipt(till: Till, devices: DeviceManager, input: ApiParsed<'print.preview'>): Promise<PreviewImage> {
  const { jobId, draft, paper } = input;
  if (jobId) {
    const row = jobRow(till, jobId);
    const doc = devices.documentFor(payloadOf(row), row, paper);
    return { png: await pngDataUrl(doc), paper: doc.paper };
  }
  const doc = sampleReceipt(till, draft, paper);
  return { png: await pngDataUrl(doc), paper: doc.paper };
}
