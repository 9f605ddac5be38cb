// Search keys for search-as-you-type on product names: cashiers type pinyin initials
// (kkkl for 可口可乐) or full pinyin. Built once per product on the main side and stored
// beside the name; pinyin-pro picks readings of polyphones (银行 yinhang) from context.

import { pinyin } from 'pinyin-pro';

export interface SearchKeys {
  /** First letter of each character's pinyin, latin letters and digits kept: nfsq550ml. */
  initials: string;
  /** Full pinyin without tones or spaces, ü written v: nongfushanquan550ml, lvcha. */
  full: string;
}

// Keep what a cashier can type on a keyboard; drop spaces, punctuation and characters
// pinyin-pro has no reading for.
const clean = (parts: string[]): string =>
  parts
    .join('')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');

function pinyinParts(name: string, first: boolean): string[] {
  // NFKC turns full-width ＡＢＣ１２３ into ABC123 before pinyin-pro sees it.
  return pinyin(name.normalize('NFKC'), {
    pattern: first ? 'first' : 'pinyin',
    toneType: 'none',
    type: 'array',
    v: true,
    nonZh: 'consecutive',
  });
}

export function pinyinInitials(name: string): string {
  return clean(pinyinParts(name, true));
}

export function searchKeys(name: string): SearchKeys {
  return { initials: pinyinInitials(name), full: clean(pinyinParts(name, false)) };
}
