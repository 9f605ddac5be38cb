// The voice broadcast's recorded clips (resources/voice/*.wav, scripts/make-voice-clips.mjs) as data URLs,
// in a chunk of their own that voice.ts loads the first time a PC without a Chinese voice announces a
// payment (≈ 460 KB of base64 nobody else pays for).
import type { ClipName } from './voice-text';
import alipay from '../../../resources/voice/alipay.wav?inline';
import wechat from '../../../resources/voice/wechat.wav?inline';
import bai from '../../../resources/voice/bai.wav?inline';
import qian from '../../../resources/voice/qian.wav?inline';
import shi from '../../../resources/voice/shi.wav?inline';
import wan from '../../../resources/voice/wan.wav?inline';
import dian from '../../../resources/voice/dian.wav?inline';
import yuan from '../../../resources/voice/yuan.wav?inline';
import d0 from '../../../resources/voice/d0.wav?inline';
import d1 from '../../../resources/voice/d1.wav?inline';
import d2 from '../../../resources/voice/d2.wav?inline';
import d3 from '../../../resources/voice/d3.wav?inline';
import d4 from '../../../resources/voice/d4.wav?inline';
import d5 from '../../../resources/voice/d5.wav?inline';
import d6 from '../../../resources/voice/d6.wav?inline';
import d7 from '../../../resources/voice/d7.wav?inline';
import d8 from '../../../resources/voice/d8.wav?inline';
import d9 from '../../../resources/voice/d9.wav?inline';

export const CLIP_URLS: Record<ClipName, string> = { alipay, wechat, bai, qian, shi, wan, dian, yuan, d0, d1, d2, d3, d4, d5, d6, d7, d8, d9 };
