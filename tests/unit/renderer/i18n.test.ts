// en must have every key of zh-CN (the reference) and no empty or untranslated-looking strings.
import { describe, expect, it } from 'vitest';

// Loaded by path: the renderer's files belong to the web TS project, not this one.
const dir = '../../../renderer/src/i18n/';
const { zhCN } = (await import(/* @vite-ignore */ `${dir}zh-CN.ts`)) as { zhCN: Tree };
const { en } = (await import(/* @vite-ignore */ `${dir}en.ts`)) as { en: Tree };

type Tree = { [k: string]: string | Tree };
function leaves(t: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(t)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of leaves(v, key)) out.set(kk, vv);
  }
  return out;
}
const zh = leaves(zhCN);
const e = leaves(en);

describe('i18n', () => {
  it('en has every key of zh-CN and nothing extra', () => {
    expect([...zh.keys()].filter((k) => !e.has(k))).toEqual([]);
    expect([...e.keys()].filter((k) => !zh.has(k))).toEqual([]);
  });
  it('English counts agree in number: 1 item, 2 items (i18next picks `x_one` for 1)', async () => {
    const i18next = (await import('i18next')).default.createInstance();
    await i18next.init({ lng: 'en', resources: { en: { translation: en } }, interpolation: { escapeValue: false } });
    const singulars = [...e.keys()].filter((k) => k.endsWith('_one'));
    expect(singulars.length).toBeGreaterThan(0);
    for (const k of singulars) {
      const base = k.replace(/_one$/, '');
      expect(i18next.t(base, { count: 1 }), base).toBe(e.get(k)!.replace('{{count}}', '1'));
      expect(i18next.t(base, { count: 2 }), base).toBe(e.get(base)!.replace('{{count}}', '2'));
    }
  });
  it('no string is empty', () => {
    expect([...zh].filter(([, v]) => !v.trim()).map(([k]) => k)).toEqual([]);
    expect([...e].filter(([, v]) => !v.trim()).map(([k]) => k)).toEqual([]);
  });
  it('placeholders match between languages', () => {
    const vars = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort().join(',');
    expect([...zh].filter(([k, v]) => vars(v) !== vars(e.get(k) ?? '')).map(([k]) => k)).toEqual([]);
  });
  it('en is English (no Chinese left except quoted terms like 折 and the language switch)', () => {
    const allowed = /[折]/g;
    const bad = [...e]
      .filter(([k]) => k !== 'status.language') // the switch names the other language in its own script: 中文
      .filter(([, v]) => /[\u4e00-\u9fff]/.test(v.replace(allowed, '')))
      .map(([k]) => k);
    expect(bad).toEqual([]);
  });
});
