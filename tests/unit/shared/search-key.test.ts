import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { pinyinInitials, searchKeys } from '../../../shared/search-key';

describe('search keys', () => {
  it.each([
    ['可口可乐', 'kkkl', 'kekoukele'],
    ['农夫山泉550ml', 'nfsq550ml', 'nongfushanquan550ml'],
    ['农夫山泉 550ML 矿泉水', 'nfsq550mlkqs', 'nongfushanquan550mlkuangquanshui'],
    ['康师傅（红烧牛肉面）', 'ksfhsnrm', 'kangshifuhongshaoniuroumian'],
    ['绿茶', 'lc', 'lvcha'],
    ['银行卡', 'yhk', 'yinhangka'],
    ['重庆小面', 'cqxm', 'chongqingxiaomian'],
    ['ＡＢＣ１２３', 'abc123', 'abc123'],
    ['Coca-Cola 可乐', 'cocacolakl', 'cocacolakele'],
    ['', '', ''],
  ])('%s -> %s / %s', (name, initials, full) => {
    expect(searchKeys(name)).toEqual({ initials, full });
    expect(pinyinInitials(name)).toBe(initials);
  });

  it('drops characters without a reading', () => {
    expect(pinyinInitials('𠮷野家')).toBe('yj');
  });

  it('keys only contain what a keyboard types, and initials never outgrow full pinyin', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'可口乐农夫山泉矿水绿茶 ab1-（）') }), (name) => {
        const { initials, full } = searchKeys(name);
        expect(initials).toMatch(/^[a-z0-9]*$/);
        expect(full).toMatch(/^[a-z0-9]*$/);
        expect(initials.length).toBeLessThanOrEqual(full.length);
      }),
    );
  });
});
