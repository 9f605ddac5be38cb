import { currentShift, openShift } from '../../till/shift';
import type { shiftApi } from '../../../shared/api/shift';
import type { Handlers } from '../registry';

export const shiftHandlers: Handlers<typeof shiftApi> = {
  'shift.current': (_i, { till }) => currentShift(till),
  'shift.open': ({ openingCashFen }, { till }) => {
    const shift = openShift(till, openingCashFen);
    return shift;
  },
};
