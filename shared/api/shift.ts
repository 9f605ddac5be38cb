import { z } from 'zod';
import { endpoint } from './endpoint';

export interface ShiftView {
  id: string;
  userId: string;
  userName: string;
  businessDay: string;
  openedAt: number;
  openingCashFen: number;
}

export const shiftApi = {
  'shift.current': endpoint<ShiftView | null>()({
    input: z.object({}).strict(),
    role: 'cashier',
    summary: '当前班次',
  }),
  'shift.open': endpoint<ShiftView>()({
    input: z.object({ openingCashFen: z.number().int().min(0).max(10_000_000) }).strict(),
    role: 'cashier',
    summary: '开班（备用金）',
  }),
};
