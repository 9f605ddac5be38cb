// Members linked to the online shops' customers (electron/sync/members.ts): the review list (linked,
// unmatched, ambiguous), linking and unlinking by hand (manager, audited main-side), and what the
// checkout's member lookup shows: a member's online points and level on each linked platform.
// Phones are shown masked (138****5678).
import { z } from 'zod';
import { endpoint } from './endpoint';

export const MEMBER_PLATFORMS = ['youzan', 'doudian', 'weidian', 'kuaishou'] as const;
export type MemberPlatform = (typeof MEMBER_PLATFORMS)[number];

export interface LinkMember {
  memberId: string;
  name: string;
  phone: string;
  level: string;
}

export interface LinkCustomer {
  platform: MemberPlatform;
  customerId: string;
  name: string;
  phone: string | null;
  level: string | null;
  /** Online points now (the platform's last figure plus entries since), null where the platform does not say. */
  points: number | null;
}

export interface MemberReviewView {
  linked: (LinkCustomer & { member: LinkMember; matchedBy: 'phone' | 'manual' })[];
  unmatched: LinkCustomer[];
  ambiguous: (LinkCustomer & { candidates: LinkMember[] })[];
}

export interface OnlineMembershipView {
  platform: MemberPlatform;
  customerId: string;
  name: string;
  level: string | null;
  points: number | null;
  pendingPoints: number;
  fetchedAt: number;
}

const platform = z.enum(MEMBER_PLATFORMS, { error: '未知的平台' });
const customerId = z.string().trim().min(1, '缺少线上客户编号').max(80);

export const memberLinksApi = {
  'memberLinks.review': endpoint<MemberReviewView>()({
    input: z.object({}).strict(),
    role: 'manager',
    summary: '会员关联核对：已关联、未匹配、需人工确认（手机号相同的多个会员或客户）',
  }),
  'memberLinks.findMembers': endpoint<LinkMember[]>()({
    input: z.object({ query: z.string().trim().min(1, '请输入手机号或姓名').max(40) }).strict(),
    role: 'manager',
    summary: '按手机号（全号或后四位）或姓名找本店会员，供手动关联（最多 20 个）',
  }),
  'memberLinks.link': endpoint<MemberReviewView>()({
    input: z.object({ platform, customerId, memberId: z.string().trim().min(1, '缺少会员编号').max(64) }).strict(),
    role: 'manager',
    summary: '手动把本店会员关联到线上客户（记入审计日志）',
  }),
  'memberLinks.unlink': endpoint<MemberReviewView>()({
    input: z.object({ platform, customerId }).strict(),
    role: 'manager',
    summary: '解除会员与线上客户的关联（记入审计日志；之后不再按手机号自动关联）',
  }),
  'memberLinks.createMember': endpoint<MemberReviewView>()({
    input: z.object({ platform, customerId }).strict(),
    role: 'manager',
    summary: '把未匹配的线上客户建为本店会员（手机号、姓名取自平台）并关联（记入审计日志）',
  }),
  'memberLinks.forMember': endpoint<OnlineMembershipView[]>()({
    input: z.object({ memberId: z.string().trim().min(1, '缺少会员编号').max(64) }).strict(),
    role: 'cashier',
    summary: '收银台找到会员后显示其线上积分和等级（各已关联平台）',
  }),
};
