// How sync states read on screen, shared by the status light, the sync screen and the order inbox:
// platform names, the light's colour and word, "3 分钟前", and the main side's reasons in the
// user's language (its Chinese as it is; in English by the error code where we know it).
import type { TFunction } from 'i18next';
import i18next from 'i18next';
import { ApiCallError } from '../../api/client';
import type { PlatformStatus } from './api';

type T = TFunction | ((k: string, o?: Record<string, unknown>) => string);

export const platformWord = (t: T, p: string): string => t(`sync.platform.${p}`, { defaultValue: p });

export type LightColor = 'green' | 'amber' | 'red' | 'grey';

/**
 * One light for the given (enabled) platforms: red when one failed its last call or has dead
 * letters, amber while settings are incomplete, a backlog waits or nothing was tried yet, green when
 * all answered and are caught up.
 */
export function lightOf(list: PlatformStatus[], failed: boolean, t: T): { color: LightColor; word: string } {
  if (list.length === 0) return { color: 'grey', word: failed ? t('sync.light.unknown') : t('sync.light.none') };
  const one = list.length === 1;
  const errors = list.filter((p) => p.connected === false || (p.lastError && p.connected !== true)).length;
  const dead = list.reduce((a, p) => a + p.deadLetters, 0);
  const backlog = list.reduce((a, p) => a + p.backlog, 0);
  if (errors > 0) return { color: 'red', word: one ? t('sync.state.error') : t('sync.light.errors', { count: errors }) };
  if (dead > 0) return { color: 'red', word: t('sync.light.dead', { count: dead }) };
  if (list.some((p) => !p.configured)) return { color: 'amber', word: t('sync.state.incomplete') };
  if (backlog > 0) return { color: 'amber', word: t('sync.backlog', { count: backlog }) };
  if (list.some((p) => p.connected === null)) return { color: 'amber', word: t('sync.state.waiting') };
  return { color: 'green', word: t('sync.state.ok') };
}

/** "刚刚", "3 分钟前", "2 小时前", else the date and time. */
export function agoText(t: T, ms: number, lang: string, at?: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return t('sync.ago.now');
  if (s < 3600) return t('sync.ago.minutes', { count: Math.floor(s / 60) });
  if (s < 86_400) return t('sync.ago.hours', { count: Math.floor(s / 3600) });
  return new Date(at ?? Date.now() - ms).toLocaleString(lang, { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}

export const timeText = (at: number, lang: string): string =>
  new Date(at).toLocaleString(lang, { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });

/** A reason the main side wrote (Chinese) in the user's language: its code's sentence in English when known. */
export function reasonText(t: T, r: { code?: string | null; message: string }): string {
  if (i18next.language?.startsWith('zh') ?? true) return r.message;
  // Platform codes carry '.', '/' and ':' (i18next's separators): only plain codes are looked up.
  return (r.code && /^\w+$/.test(r.code) && t(`sync.reason.${r.code}`, { defaultValue: '' })) || r.message;
}

/** A refused call in the user's language (ApiCallError already carries the English sentence). */
export function errorText(e: unknown): string {
  return e instanceof ApiCallError || e instanceof Error ? e.message : String(e);
}

/** A message kept in state: a sentence made at render time (so it follows a language switch) or the main side's own words. */
export type Said = string | ((t: TFunction) => string);
export const said = (t: TFunction, s: Said): string => (typeof s === 'function' ? s(t) : s);
