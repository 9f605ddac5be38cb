// Payment poster (远程收款海报): a PNG the cashier saves, copies into a group chat or prints for a
// community group order (社群接龙) or a cash-on-delivery balance (尾款). Made from the SVG template in
// poster-template.ts and drawn by resvg with the fonts shipped for receipt pictures
// (electron/devices/receipt/picture.ts svgToPng), so it looks the same on every counter PC and never
// depends on the PC's own fonts.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PosterView } from '../../shared/api/poster';
import { TillError } from '../../shared/errors';
import { linesOf } from '../devices/customer-display-feed';
import { svgToPng } from '../devices/receipt/picture';
import { activeCart, cartView, heldCart } from '../till/cart';
import { exportsDir } from '../till/reports/export-files';
import type { Till } from '../till/till';
import { getAttempt } from './attempts';
import { posterSvg, type PosterInput } from './poster-template';

export type { PosterInput, PosterItem } from './poster-template';
export { posterSvg, POSTER_WIDTH } from './poster-template';

/** The poster as a PNG (750 px wide: a phone screen's width, readable when forwarded in a chat). */
export async function renderPoster(input: PosterInput): Promise<Buffer> {
  return svgToPng(await posterSvg(input));
}

// ------------------------------------------------------------------------------------------------
// A poster for a payment QR the till is showing (payments.poster): the attempt's code_url, amount and
// expiry, the shop's name and the cart's items; saved as exports/posters/<out_trade_no>.png so the
// cashier can send or print it, and returned as a data URL for the screen (copy to the clipboard).

export async function posterForAttempt(till: Till, attemptId: string): Promise<PosterView> {
  till.auth.requireSession();
  const a = getAttempt(till, attemptId);
  if (a.kind === 'code' || !a.codeUrl) throw new TillError('NOT_A_QR', '这笔收款没有收款二维码，不能生成海报');
  if (a.final) throw new TillError('PAYMENT_FINAL', '这笔收款已结束，不能再生成海报');
  // The items of the cart it pays: the active one, or a held one (a remote payment request for a 挂单).
  const active = activeCart(till);
  const cart = a.cartId === null ? undefined : active.id === a.cartId ? active : heldCart(till, a.cartId);
  const items = cart ? linesOf(cartView(till, cart)).map((l) => ({ name: l.name, quantity: l.qtyText })) : [];
  const png = await renderPoster({
    shopName: till.settings.get('shop.name'),
    amountFen: a.amountFen,
    items,
    codeUrl: a.codeUrl,
    expiresAt: a.expiresAt ?? till.now() + 120_000,
    provider: a.provider,
  });
  const dir = join(exportsDir(till), 'posters');
  mkdirSync(dir, { recursive: true });
  const fileName = `收款海报_${a.outTradeNo}.png`;
  const path = join(dir, fileName);
  writeFileSync(path, png);
  return { dataUrl: `data:image/png;base64,${png.toString('base64')}`, path, fileName };
}
