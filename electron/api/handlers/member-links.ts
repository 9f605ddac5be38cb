// Member links (shared/api/member-links.ts): thin wrappers over electron/sync/members.ts on the till's
// connection. Link and unlink are audited there, in the change's own transaction.
import { like, or } from 'drizzle-orm';
import type { LinkCustomer, LinkMember, MemberPlatform, MemberReviewView, memberLinksApi } from '../../../shared/api/member-links';
import { createMemberFrom, forMember, linkByHand, reviewList, unlinkByHand, type ReviewCustomer, type ReviewMember } from '../../sync/members';
import { maskPhone } from '../../till/members';
import { members } from '../../till/schema';
import type { Till } from '../../till/till';
import type { Handlers } from '../registry';

const levels = (till: Till) => new Map(till.db.select({ id: members.id, level: members.level }).from(members).all().map((m) => [m.id, m.level]));
const member = (m: ReviewMember, lv: Map<string, string>): LinkMember => ({ memberId: m.memberId, name: m.name, phone: maskPhone(m.phone), level: lv.get(m.memberId) ?? '' });
const customer = (c: ReviewCustomer): LinkCustomer => ({
  platform: c.platform as MemberPlatform,
  customerId: c.customerId,
  name: c.name,
  phone: c.phone && maskPhone(c.phone),
  level: c.level,
  points: c.points,
});

function review(till: Till): MemberReviewView {
  const r = reviewList(till.db);
  const lv = levels(till);
  // Points as the counter shows them: the platform's figure plus entries since (forMember's rule).
  const online = (c: ReviewCustomer, memberId?: string) => (memberId ? (forMember(till.db, memberId).find((o) => o.platform === c.platform)?.points ?? c.points) : c.points);
  return {
    linked: r.linked.map((l) => ({ ...customer(l), points: online(l, l.member.memberId), member: member(l.member, lv), matchedBy: l.matchedBy })),
    unmatched: r.unmatched.map(customer),
    ambiguous: r.ambiguous.map((a) => ({ ...customer(a), candidates: a.candidates.map((m) => member(m, lv)) })),
  };
}

export const memberLinksHandlers: Handlers<typeof memberLinksApi> = {
  'memberLinks.review': (_i, { till }) => review(till),
  'memberLinks.findMembers': ({ query }, { till }) => {
    const digits = /^\d{4,11}$/.test(query);
    const rows = till.db
      .select()
      .from(members)
      .where(digits ? like(members.phone, query.length === 4 ? `%${query}` : `${query}%`) : or(like(members.name, `%${query}%`)))
      .orderBy(members.name)
      .limit(20)
      .all();
    return rows.map((m) => ({ memberId: m.id, name: m.name, phone: maskPhone(m.phone), level: m.level }));
  },
  'memberLinks.link': (input, { till }) => {
    linkByHand(till.db, { ...input, by: till.auth.requireSession().userId }, till.now());
    return review(till);
  },
  'memberLinks.unlink': (input, { till }) => {
    unlinkByHand(till.db, { ...input, by: till.auth.requireSession().userId }, till.now());
    return review(till);
  },
  'memberLinks.createMember': (input, { till }) => {
    createMemberFrom(till.db, { ...input, by: till.auth.requireSession().userId }, till.now());
    return review(till);
  },
  'memberLinks.forMember': ({ memberId }, { till }) => forMember(till.db, memberId).map((o) => ({ ...o, platform: o.platform as MemberPlatform })),
};
