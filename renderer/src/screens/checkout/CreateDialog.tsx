// 新建商品 for a barcode the catalog does not know: name and price typed on the spot, a manager's
// PIN when a cashier is logged in ('create_product', audited with both users), then the item goes
// straight into the cart.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CategoryView } from '../../../../shared/api';
import { parseYuan } from '../../../../shared/money';
import { call } from '../../api/client';
import { Dialog } from '../../components/Dialog';
import { Entry } from '../../components/Entry';
import { beepError, beepOk } from '../../feedback';
import { withApproval } from '../../stores/approval';
import { errorText, useCart } from '../../stores/cart';
import { APPROVAL } from './actions';

export function CreateDialog({ code }: { code: string }) {
  const { t } = useTranslation();
  const close = useCart((s) => s.close);
  const [name, setName] = useState('');
  const [price, setPrice] = useState('');
  const [cats, setCats] = useState<CategoryView[]>([]);
  const [categoryId, setCategoryId] = useState('');
  const [error, setError] = useState('');
  const nameRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    call('catalog.categories', {}).then(setCats, () => undefined);
    nameRef.current?.focus();
  }, []);

  const submit = async () => {
    if (!name.trim()) return setError(t('create.needName'));
    let priceFen: number;
    try {
      priceFen = parseYuan(price);
    } catch {
      return setError(t('dialogs.badPrice'));
    }
    if (priceFen < 0) return setError(t('dialogs.badPrice'));
    try {
      const base = { barcode: code, name: name.trim(), priceFen, ...(categoryId ? { categoryId } : {}) };
      const sku = await withApproval(APPROVAL.createProduct, (approval) => call('catalog.createQuick', approval ? { ...base, approval } : base));
      if (!sku) return;
      await useCart.getState().run('cart.scan', { code });
      beepOk();
      useCart.getState().say({ kind: 'ok', text: t('create.created', { name: sku.name }) });
      close();
    } catch (e) {
      beepError();
      setError(errorText(e));
    }
  };

  return (
    <Dialog title={t('create.title')} testId="create-dialog" onClose={close} wide>
      <p>
        {t('create.barcode')}{t('common.colon')}<strong>{code}</strong>
      </p>
      <div className="create-grid">
        <div className="create-fields">
          <label className="field">
            <span>{t('create.name')}</span>
            <input ref={nameRef} value={name} onChange={(e) => setName(e.target.value.slice(0, 40))} data-testid="create-name" autoComplete="off" />
          </label>
          <label className="field">
            <span>{t('create.category')}</span>
            <select value={categoryId} onChange={(e) => setCategoryId(e.target.value)} data-testid="create-category">
              <option value="">{t('create.noCategory')}</option>
              {cats.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
          <p className="muted small-note">{t('create.note')}</p>
        </div>
        <Entry value={price} onChange={setPrice} onSubmit={() => void submit()} prefix={`${t('create.price')} ¥`} placeholder="0.00" testId="create-price" enterLabel={t('create.save')} />
      </div>
      <div className="error-line" role="alert">
        {error}
      </div>
    </Dialog>
  );
}
