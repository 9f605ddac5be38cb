import { currentShift, openShift } from '../../till/shift';
import type { Impls } from '../registry';

export const shiftHandlers: Impls = {
  'shift.current': (_i, till) => currentShift(till),
  'shift.open': ({ openingCashFen }, till) => {
    const shift = openShift(till, openingCashFen);
    return shift;
  },
};
