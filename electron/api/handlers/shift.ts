// 交班 endpoints (shared/api/shift.ts): thin wrappers over electron/till/shift*.ts and cash-moves.ts.
import type { shiftApi } from '../../../shared/api/shift';
import { recordCashMove } from '../../till/cash-moves';
import { currentShift, openShift, shiftState } from '../../till/shift';
import { closeShift, listShifts, readShiftReport, reprintShiftReport } from '../../till/shift-close';
import type { Handlers } from '../registry';
import type { Services } from '../services';
import { statusOf } from './app';

/** The status bar shows the shift; a print job is looked for now rather than at the next poll. */
function after(services: Services, printed: boolean): void {
  services.till.events.emit('status', statusOf(services));
  if (printed) {
    try {
      services.devices?.printQueue().wake();
    } catch {
      // no print queue running: the job waits in the table for it
    }
  }
}

export const shiftHandlers: Handlers<typeof shiftApi> = {
  'shift.current': (_i, { till }) => currentShift(till),
  'shift.open': ({ openingCashFen }, services) => {
    const shift = openShift(services.till, openingCashFen);
    after(services, false);
    return shift;
  },
  'shift.state': (_i, { till }) => shiftState(till),
  'shift.report': ({ shiftId }, { till }) => readShiftReport(till, shiftId),
  'shift.cashMove': async (input, { till, devices }) => {
    const move = recordCashMove(till, input);
    if (!devices) return { move, drawer: { opened: false, message: '设备管理未启动，请用钥匙打开钱箱' } };
    try {
      await devices.openDrawer();
      return { move, drawer: { opened: true, message: '钱箱已打开' } };
    } catch (e) {
      return { move, drawer: { opened: false, message: `已记账，但钱箱没有打开：${(e as Error).message}` } };
    }
  },
  'shift.close': (input, services) => {
    const r = closeShift(services.till, input);
    after(services, true);
    return r;
  },
  'shift.list': (input, { till }) => listShifts(till, input),
  'shift.reprint': ({ shiftId }, services) => {
    const r = reprintShiftReport(services.till, shiftId);
    after(services, true);
    return r;
  },
};
