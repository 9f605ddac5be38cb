// Right column: the member panel (or a big 会员 button), the totals with 应收 in very large type,
// the 结算 button and a compact keypad that types into the scan field.
import { memo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatYuan } from '../../../../shared/money';
import { Money } from '../../components/Money';
import { useCart } from '../../stores/cart';
import { OnlinePoints } from './OnlinePoints';

export const SidePane = memo(function SidePane({ onPay, pad }: { onPay(): void; pad: ReactNode }) {
  const { t } = useTranslation();
  const view = useCart((s) => s.view);
  const open = useCart((s) => s.open);
  const p = view?.priced;
  const member = view?.member;
  const savings = p ? p.originalGrossFen - p.subtotalFen : 0;
  return (
    <aside className="side-pane">
      {member ? (
        <button type="button" className="member-card" onClick={() => open({ kind: 'member' })} data-testid="member-panel">
          <span className="member-name">
            {member.name} <small>{member.level}</small>
          </span>
          <span className="member-meta">
            {member.phone} · {t('member.points')} {member.points} · {t('member.balance')} {formatYuan(member.balanceFen)}
          </span>
          <OnlinePoints memberId={member.id} />
        </button>
      ) : (
        <button type="button" className="member-btn" onClick={() => open({ kind: 'member' })} data-testid="member-button">
          {t('checkout.member')} <kbd>F2</kbd>
        </button>
      )}
      <div className="totals" data-testid="totals">
        <div className="row">
          <span>{t('checkout.items')}</span>
          <span data-testid="item-count">{p?.itemCount ?? 0}</span>
        </div>
        <div className="row">
          <span>{t('checkout.gross')}</span>
          <span data-testid="gross">{formatYuan(p?.originalGrossFen ?? 0)}</span>
        </div>
        <div className="row">
          <span>{t('checkout.savings')}</span>
          <span data-testid="savings">{savings ? <Money fen={-savings} /> : formatYuan(0)}</span>
        </div>
        {p && p.roundingFen !== 0 && (
          <div className="row">
            <span>{t('checkout.rounding')}</span>
            <span data-testid="rounding">{formatYuan(p.roundingFen)}</span>
          </div>
        )}
        {view?.subtotaled && (
          <div className="subtotaled" data-testid="subtotaled">
            {t('checkout.subtotaled')}
          </div>
        )}
        <div className="due">
          <span className="due-label">{t('checkout.total')}</span>
          <span className="due-amount" data-testid="total">
            {formatYuan(p?.totalFen ?? 0)}
          </span>
        </div>
      </div>
      <button type="button" className="pay-btn" onClick={onPay} data-testid="pay-button" disabled={!view?.lines.length}>
        {t('checkout.pay')} <kbd>{t('checkout.payKeys')}</kbd>
      </button>
      <div className="side-pad">{pad}</div>
      {!!view?.heldCount && (
        <button type="button" className="btn held-note" onClick={() => open({ kind: 'held' })} data-testid="held-count">
          {t('checkout.heldCount', { count: view.heldCount })}
        </button>
      )}
    </aside>
  );
});
