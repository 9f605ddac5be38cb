// The cart: 序号, 品名 (+ note / 改价), 数量, 单价, 优惠, 小计. The newest or changed line is highlighted
// and scrolled into view; rows are memoised so a scan redraws only what changed.
import { memo, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { CartLineView } from '../../../../shared/api';
import { bpToZhe, formatYuan } from '../../../../shared/money';
import { formatQty, type PricedLine } from '../../../../shared/pricing';
import { useCart } from '../../stores/cart';

export const CartTable = memo(function CartTable() {
  const { t } = useTranslation();
  const view = useCart((s) => s.view);
  const selectedId = useCart((s) => s.selectedId);
  const wrap = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const row = wrap.current?.querySelector<HTMLElement>('tr.selected');
    row?.scrollIntoView({ block: 'nearest' });
  }, [selectedId, view]);

  const lines = view?.lines ?? [];
  return (
    <div className="cart-table-wrap" ref={wrap}>
      <table className="cart-table" data-testid="cart">
        <thead>
          <tr>
            <th className="col-no">{t('checkout.no')}</th>
            <th>{t('checkout.name')}</th>
            <th className="num">{t('checkout.qty')}</th>
            <th className="num">{t('checkout.price')}</th>
            <th className="num">{t('checkout.discount')}</th>
            <th className="num">{t('checkout.amount')}</th>
          </tr>
        </thead>
        <tbody>
          {view?.priced.lines.map((p, i) => (
            <Row key={p.id} index={i} line={lines[i]} priced={p} selected={p.id === selectedId} />
          ))}
        </tbody>
      </table>
      {lines.length === 0 && <div className="cart-empty">{t('checkout.empty')}</div>}
    </div>
  );
});

interface RowProps {
  index: number;
  line: CartLineView;
  priced: PricedLine;
  selected: boolean;
}

const Row = memo(
  function Row({ index, line, priced, selected }: RowProps) {
    const { t } = useTranslation();
    const off = priced.originalGrossFen - priced.netFen;
    const overridden = priced.unitPriceFen !== priced.originalUnitPriceFen;
    return (
      <tr
        className={selected ? 'selected' : ''}
        data-testid="cart-line"
        data-line-id={line.id}
        aria-selected={selected}
        onClick={() => useCart.getState().select(line.id)}
        onDoubleClick={() => {
          useCart.getState().select(line.id);
          useCart.getState().open({ kind: 'qty' });
        }}
      >
        <td className="col-no">
          {selected && <span className="sel-mark" aria-hidden>▶</span>}
          {index + 1}
        </td>
        <td className="name">
          <div className="line-name">{line.name}</div>
          {(line.note || overridden || priced.lineDiscount) && (
            <div className="line-tags">
              {overridden && (
                <span className="tag">
                  {t('checkout.priceChanged', { price: formatYuan(priced.originalUnitPriceFen) })}
                </span>
              )}
              {priced.lineDiscount && (
                <span className="tag">
                  {priced.lineDiscount.kind === 'percent'
                    ? t('checkout.zhe', { zhe: bpToZhe(priced.lineDiscount.bp) })
                    : t('checkout.minus', { amount: formatYuan(priced.lineDiscount.fen) })}
                </span>
              )}
              {line.note && <span className="tag note">{line.note}</span>}
            </div>
          )}
        </td>
        <td className="num qty">{formatQty(priced.qty, line.unit)}</td>
        <td className="num">{formatYuan(priced.unitPriceFen)}</td>
        <td className="num">{off > 0 ? formatYuan(-off) : ''}</td>
        <td className="num strong">{formatYuan(priced.netFen)}</td>
      </tr>
    );
  },
  (a, b) =>
    a.index === b.index &&
    a.selected === b.selected &&
    a.line.id === b.line.id &&
    a.line.name === b.line.name &&
    a.line.note === b.line.note &&
    a.priced.qty === b.priced.qty &&
    a.priced.unitPriceFen === b.priced.unitPriceFen &&
    a.priced.netFen === b.priced.netFen &&
    a.priced.originalGrossFen === b.priced.originalGrossFen &&
    JSON.stringify(a.priced.lineDiscount) === JSON.stringify(b.priced.lineDiscount),
);
