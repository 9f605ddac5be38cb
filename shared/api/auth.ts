import { z } from 'zod';
import type { ApprovalAction } from '../approvals';
import { endpoint, type Role } from './endpoint';

export interface SessionInfo {
  userId: string;
  name: string;
  role: Role;
  loggedInAt: number;
}
export interface LoginUser {
  id: string;
  name: string;
  role: Role;
  locked: boolean;
}
export interface Approval {
  /** Single-use token proving a manager typed their PIN for this ask just now; bound to its subject. */
  token: string;
  approverId: string;
  approverName: string;
  action: ApprovalAction;
  askId: string;
  /** What was approved, as the manager read it ("可口可乐 330ml ×1 5折 −¥1.50"). */
  summary: string;
  expiresAt: number;
}

export const pinSchema = z.string().regex(/^\d{4,8}$/, 'PIN 须为 4 到 8 位数字');
export const idSchema = z.string().min(1).max(64);

export const authApi = {
  'auth.users': endpoint<LoginUser[]>()({
    input: z.object({}).strict(),
    role: 'public',
    summary: '登录页的用户列表',
  }),
  'auth.login': endpoint<SessionInfo>()({
    input: z.object({ userId: idSchema, pin: pinSchema }).strict(),
    role: 'public',
    summary: '用 PIN 登录；连续 5 次错误后锁定一段时间',
  }),
  'auth.logout': endpoint<{ ok: true }>()({
    input: z.object({}).strict(),
    role: 'public',
    summary: '退出登录',
  }),
  'auth.session': endpoint<SessionInfo | null>()({
    input: z.object({}).strict(),
    role: 'public',
    summary: '当前登录的用户',
  }),
  'auth.approve': endpoint<Approval>()({
    input: z
      .object({
        pin: pinSchema,
        /** The ask from the APPROVAL_REQUIRED error's details: the token approves exactly that. */
        askId: z.string().regex(/^[0-9a-f]{24}$/, '授权请求编号不对'),
        /** The manager picked on the PIN pad; omitted: the PIN is tried against every manager. */
        approverId: idSchema.optional(),
      })
      .strict(),
    role: 'cashier',
    summary: '店长在当前界面输入 PIN 授权一次请求（不切换登录）；PIN 错误逐次延时，连续错误后锁定',
  }),
};
