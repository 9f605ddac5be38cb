// 会员 → 线上会员核对: local members and the online shops' customers. Three lists: 已关联 (linked by
// phone or by hand, with the online level and points; 解除关联 asks once more), 未匹配 (no member has
// the phone: 关联会员 finds one by the last four digits, the full phone or the name, 建为会员 makes one) and 待确认 (one
// phone, several customers or members: pick the right member). Manager only (a cashier sees the
// placeholder); the main side audits each link and unlink. Touch first: every target ≥ 44 px.
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LinkCustomer, LinkMember, MemberReviewView } from '../../../../shared/api';
import { ROLE_RANK } from '../../../../shared/api';
import { call } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { Placeholder } from '../Placeholder';
import { useSession } from '../../stores/session';
import './members.css';

type Tab = 'linked' | 'unmatched' | 'ambiguous';
const TABS: Tab[] = ['linked', 'unmatched', 'ambiguous'];
const keyOf = (c: LinkCustomer) => `${c.platform}:${c.customerId}`;
/** The refusal's sentence in the screen's language (ApiCallError already chose it). */
const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export function MembersScreen() {
  const { t } = useTranslation();
  const role = useSession((s) => s.session?.role);
  const [tab, setTab] = useState<Tab>('linked');
  const [view, setView] = useState<MemberReviewView | null>(null);
  // A success note is worded at render time (a language switch rewords it); a refusal comes worded.
  const [note, setNote] = useState<{ ok: boolean; text: string | (() => string) } | null>(null);
  const [picking, setPicking] = useState<(LinkCustomer & { candidates?: LinkMember[] }) | null>(null);
  const [confirmUnlink, setConfirmUnlink] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const manager = ROLE_RANK[role ?? 'cashier'] >= ROLE_RANK.manager;

  const load = useCallback(async () => {
    try {
      setView(await call('memberLinks.review', {}));
    } catch (e) {
      setNote({ ok: false, text: errorText(e) });
    }
  }, []);
  useEffect(() => {
    if (manager) void load();
  }, [load, manager]);

  // A cashier's 会员 stays the placeholder until the members issue builds their side (cards, points at
  // the counter); the review of links is a manager's.
  if (!manager) return <Placeholder screen="members" />;

  const platformWord = (p: string) => t(`memberLinks.platform.${p}`, { defaultValue: p });
  const run = async (f: () => Promise<{ view: MemberReviewView; text: () => string }>) => {
    setBusy(true);
    setNote(null);
    try {
      const r = await f();
      setView(r.view);
      setNote({ ok: true, text: r.text });
    } catch (e) {
      setNote({ ok: false, text: errorText(e) });
    } finally {
      setBusy(false);
    }
  };
  const link = (c: LinkCustomer, m: LinkMember) =>
    run(async () => {
      const v = await call('memberLinks.link', { platform: c.platform, customerId: c.customerId, memberId: m.memberId });
      setPicking(null);
      return { view: v, text: () => t('memberLinks.done.linked', { member: m.name, online: c.name }) };
    });
  const create = (c: LinkCustomer) =>
    run(async () => {
      const v = await call('memberLinks.createMember', { platform: c.platform, customerId: c.customerId });
      return { view: v, text: () => t('memberLinks.done.created', { online: c.name }) };
    });
  const unlink = (c: LinkCustomer) =>
    run(async () => {
      const v = await call('memberLinks.unlink', { platform: c.platform, customerId: c.customerId });
      setConfirmUnlink(null);
      return { view: v, text: () => t('memberLinks.done.unlinked', { online: c.name }) };
    });

  const online = (c: LinkCustomer) => (
    <div className="mb-online">
      <span className={`mb-badge mb-${c.platform}`}>{platformWord(c.platform)}</span>
      <strong>{c.name || t('memberLinks.unknown')}</strong>
      <span className="mb-phone">{c.phone ?? t('memberLinks.noPhone')}</span>
    </div>
  );
  const figures = (c: LinkCustomer) => (
    <>
      <td className="mb-level">{c.level ?? t('memberLinks.unknown')}</td>
      <td className="mb-points" data-testid="members-points">
        {c.points ?? t('memberLinks.unknown')}
      </td>
    </>
  );

  const counts = { linked: view?.linked.length ?? 0, unmatched: view?.unmatched.length ?? 0, ambiguous: view?.ambiguous.length ?? 0 };
  return (
    <div className="mb-screen" data-testid="members-screen">
      <header className="mb-head">
        <h2>{t('memberLinks.title')}</h2>
        <div className="mb-tabs" role="tablist">
          {TABS.map((k) => (
            <button key={k} type="button" role="tab" aria-selected={tab === k} className={`mb-tab ${tab === k ? 'on' : ''}`} onClick={() => setTab(k)} data-testid={`members-tab-${k}`}>
              {t(`memberLinks.tabs.${k}`)} <span className={`mb-count ${k === 'ambiguous' && counts[k] > 0 ? 'warn' : ''}`}>{counts[k]}</span>
            </button>
          ))}
        </div>
        <button type="button" className="btn" onClick={() => void load()} data-testid="members-refresh">
          {t('memberLinks.refresh')}
        </button>
      </header>
      <p className="mb-help">{t('memberLinks.help')}</p>
      {note && (
        <p className={note.ok ? 'settings-ok' : 'settings-error'} role="status" data-testid="members-note">
          {typeof note.text === 'function' ? note.text() : note.text}
        </p>
      )}
      <div className="mb-list">
        <table className="mb-table" data-testid={`members-list-${tab}`}>
          <thead>
            <tr>
              <th>{t('memberLinks.col.online')}</th>
              <th>{tab === 'linked' ? t('memberLinks.col.member') : ''}</th>
              <th>{t('memberLinks.col.level')}</th>
              <th>{t('memberLinks.col.points')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {tab === 'linked' &&
              view?.linked.map((l) => (
                <tr key={keyOf(l)} data-testid="members-row">
                  <td>{online(l)}</td>
                  <td>
                    <div className="mb-member">
                      <strong>{l.member.name}</strong> <span className="mb-phone">{l.member.phone}</span>
                      <span className="mb-how">
                        {l.member.level} · {t(`memberLinks.by.${l.matchedBy}`)}
                      </span>
                    </div>
                  </td>
                  {figures(l)}
                  <td className="mb-actions">
                    {confirmUnlink === keyOf(l) ? (
                      <button type="button" className="btn danger" disabled={busy} onClick={() => void unlink(l)} data-testid="members-unlink-confirm" title={t('memberLinks.unlinkHelp')}>
                        {t('memberLinks.unlinkConfirm')}
                      </button>
                    ) : (
                      <button type="button" className="btn" onClick={() => setConfirmUnlink(keyOf(l))} data-testid="members-unlink">
                        {t('memberLinks.unlink')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            {tab === 'unmatched' &&
              view?.unmatched.map((c) => (
                <tr key={keyOf(c)} data-testid="members-row">
                  <td>{online(c)}</td>
                  <td />
                  {figures(c)}
                  <td className="mb-actions">
                    {c.phone && (
                      <button type="button" className="btn" disabled={busy} onClick={() => void create(c)} data-testid="members-create">
                        {t('memberLinks.create')}
                      </button>
                    )}
                    <button type="button" className="btn primary" onClick={() => setPicking(c)} data-testid="members-link">
                      {t('memberLinks.link')}
                    </button>
                  </td>
                </tr>
              ))}
            {tab === 'ambiguous' &&
              view?.ambiguous.map((c) => (
                <tr key={keyOf(c)} data-testid="members-row">
                  <td>{online(c)}</td>
                  <td>
                    {c.candidates.map((m) => (
                      <div key={m.memberId} className="mb-member">
                        <strong>{m.name}</strong> <span className="mb-phone">{m.phone}</span>
                      </div>
                    ))}
                  </td>
                  {figures(c)}
                  <td className="mb-actions">
                    <button type="button" className="btn primary" onClick={() => setPicking(c)} data-testid="members-link">
                      {t('memberLinks.link')}
                    </button>
                  </td>
                </tr>
              ))}
          </tbody>
        </table>
        {view && counts[tab] === 0 && <p className="mb-empty">{t(`memberLinks.empty.${tab}`)}</p>}
      </div>
      {picking && <PickMember customer={picking} platform={platformWord(picking.platform)} busy={busy} onPick={(m) => void link(picking, m)} onClose={() => setPicking(null)} />}
    </div>
  );
}

function PickMember(p: { customer: LinkCustomer & { candidates?: LinkMember[] }; platform: string; busy: boolean; onPick(m: LinkMember): void; onClose(): void }) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [found, setFound] = useState<LinkMember[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const find = async () => {
    setError(null);
    try {
      setFound(await call('memberLinks.findMembers', { query: q }));
    } catch (e) {
      setError(errorText(e));
    }
  };
  const row = (m: LinkMember) => (
    <li key={m.memberId} className="mb-pick-row">
      <span>
        <strong>{m.name}</strong> <span className="mb-phone">{m.phone}</span> <span className="mb-how">{m.level}</span>
      </span>
      <button type="button" className="btn primary" disabled={p.busy} onClick={() => p.onPick(m)} data-testid="members-pick">
        {t('memberLinks.linkTo', { name: m.name })}
      </button>
    </li>
  );
  return (
    <Dialog title={t('memberLinks.pick.title', { name: p.customer.name, platform: p.platform })} testId="members-pick-dialog" onClose={p.onClose} wide>
      {p.customer.candidates && p.customer.candidates.length > 0 && (
        <>
          <h3 className="mb-sub">{t('memberLinks.pick.candidates')}</h3>
          <ul className="mb-pick">{p.customer.candidates.map(row)}</ul>
        </>
      )}
      <form
        className="mb-search"
        onSubmit={(e) => {
          e.preventDefault();
          void find();
        }}
      >
        <input className="mb-input" value={q} onChange={(e) => setQ(e.target.value)} placeholder={t('memberLinks.pick.search')} data-testid="members-search" autoFocus />
        <button type="submit" className="btn primary" disabled={!q.trim()} data-testid="members-find">
          {t('memberLinks.pick.find')}
        </button>
      </form>
      {error && <p className="settings-error">{error}</p>}
      {found && (found.length === 0 ? <p className="mb-empty">{t('memberLinks.pick.none')}</p> : <ul className="mb-pick">{found.map(row)}</ul>)}
    </Dialog>
  );
}
