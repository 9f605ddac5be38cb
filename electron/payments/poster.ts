// Payment poster (远程收款海报): a PNG the cashier saves, copies into a group chat or prints for a
// community group order (社群接龙) or a cash-on-delivery balance (尾款). Made from the SVG template in
// poster-template.ts and drawn by resvg with the fonts shipped for receipt pictures
// (electron/devices/receipt/picture.ts svgToPng), so it looks the same on every counter PC and never
// depends on the PC's own fonts.
import { svgToPng } from '../devices/receipt/picture';
import { posterSvg, type PosterInput } from './poster-template';

export type { PosterInput, PosterItem } from './poster-template';
export { posterSvg, POSTER_WIDTH } from './poster-template';

/** The poster as a PNG (750 px wide: a phone screen's width, readable when forwarded in a chat). */
export async function renderPoster(input: PosterInput): Promise<Buffer> {
  return svgToPng(await posterSvg(input));
}
