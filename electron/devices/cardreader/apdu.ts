// Interpreting the answer to the PC/SC "get UID" pseudo-APDU. Pure, so it is unit-tested.

/** FF CA 00 00 00: reader-level command (PC/SC part 3) returning the contactless UID. */
export const GET_UID_APDU = Buffer.from([0xff, 0xca, 0x00, 0x00, 0x00]);

export type UidResult = { ok: true; uid: string } | { ok: false; sw: string | null; message: string };

const SW_MESSAGES: Record<string, string> = {
  // Contact CPU cards (e.g. bank/social-security chips) have no UID: the reader says "function not supported".
  '6A81': '此卡不支持读取卡号，请换会员卡',
  '6D00': '此卡不支持读取卡号，请换会员卡',
  '6E00': '此卡不支持读取卡号，请换会员卡',
  '6300': '读卡失败，请重新刷卡',
};

/** @param responseHex full response including the trailing SW1 SW2. */
export function interpretUidResponse(responseHex: string): UidResult {
  const hex = responseHex.replace(/\s+/g, '').toUpperCase();
  if (!/^([0-9A-F]{2})+$/.test(hex) || hex.length < 4) {
    return { ok: false, sw: null, message: '读卡失败（读卡器应答无效），请重新刷卡' };
  }
  const sw = hex.slice(-4);
  const data = hex.slice(0, -4);
  if (sw !== '9000') return { ok: false, sw, message: SW_MESSAGES[sw] ?? `读卡失败（SW ${sw}），请重新刷卡` };
  if (!data) return { ok: false, sw, message: '读卡失败（卡号为空），请重新刷卡' };
  return { ok: true, uid: data };
}
