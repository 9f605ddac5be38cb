// Times on the 交班 / 日结 screens, in the till PC's own zone (as the business day and receipts use).
export const dateTime = (ms: number, lang: string): string =>
  new Date(ms).toLocaleString(lang, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

export const clock = (ms: number, lang: string): string =>
  new Date(ms).toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** The error a call was refused with, as the main side worded it (Chinese) or the exception's text. */
export const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));
