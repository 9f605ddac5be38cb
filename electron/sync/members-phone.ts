// Phone numbers as members are matched by: one normalized form for local members and platform customers.

/** 11 digits of a mainland mobile number ('+86 138-1234-5678' → '13812345678'), or null. */
export function normalizePhone(raw: string | null | undefined): string | null {
  const d = String(raw ?? '').replace(/\D/g, '');
  const m = /^(?:0{0,2}86)?(1\d{10})$/.exec(d);
  return m ? m[1] : null;
}
