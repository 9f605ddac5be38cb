// Dev script (never on a product path): makes the voice broadcast's fallback clips in resources/voice/
// with espeak-ng's Mandarin voice, for PCs without a zh-CN Web Speech voice (renderer/src/payments/voice.ts
// plays them in sequence: 微信收款 十 二 点 三 元). The clips are committed; run this only to remake them.
//
//   apt-get install espeak-ng          (Debian; any espeak-ng ≥ 1.50 with the cmn voice)
//   node scripts/make-voice-clips.mjs
//
// Words are given as tone-numbered pinyin to the cmn-latn-pinyin voice: fed Chinese characters, the
// Debian build reads several of them as English letters ("xin4" → "zin four"). Each clip's leading and
// trailing silence is cut so the sequence flows; PCM 16-bit mono WAV as espeak writes it.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The clip names are the keys renderer/src/payments/voice-text.ts clipSequence() returns.
const CLIPS = {
  wechat: 'wei1 xin4 shou1 kuan3',
  alipay: 'zhi1 fu4 bao3 shou1 kuan3',
  d0: 'ling2', d1: 'yi1', d2: 'er4', d3: 'san1', d4: 'si4', d5: 'wu3', d6: 'liu4', d7: 'qi1', d8: 'ba1', d9: 'jiu3',
  shi: 'shi2', bai: 'bai3', qian: 'qian1', wan: 'wan4', dian: 'dian3', yuan: 'yuan2',
};

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'resources', 'voice');
mkdirSync(out, { recursive: true });
const tmp = mkdtempSync(join(tmpdir(), 'voice-'));

/** Cuts leading and trailing near-silence from a PCM16 mono WAV (keeps 15 ms either side). */
function trim(wav) {
  const dataAt = wav.indexOf('data') + 8;
  const rate = wav.readUInt32LE(24);
  const samples = (wav.length - dataAt) >> 1;
  const loud = (i) => Math.abs(wav.readInt16LE(dataAt + i * 2)) > 600;
  let a = 0;
  while (a < samples && !loud(a)) a++;
  let b = samples - 1;
  while (b > a && !loud(b)) b--;
  const pad = Math.round(rate * 0.015);
  a = Math.max(0, a - pad);
  b = Math.min(samples - 1, b + pad);
  const pcm = wav.subarray(dataAt + a * 2, dataAt + (b + 1) * 2);
  const head = Buffer.alloc(44);
  head.write('RIFF', 0);
  head.writeUInt32LE(36 + pcm.length, 4);
  head.write('WAVEfmt ', 8);
  head.writeUInt32LE(16, 16);
  head.writeUInt16LE(1, 20); // PCM
  head.writeUInt16LE(1, 22); // mono
  head.writeUInt32LE(rate, 24);
  head.writeUInt32LE(rate * 2, 28);
  head.writeUInt16LE(2, 32);
  head.writeUInt16LE(16, 34);
  head.write('data', 36);
  head.writeUInt32LE(pcm.length, 40);
  return Buffer.concat([head, pcm]);
}

let total = 0;
for (const [name, pinyin] of Object.entries(CLIPS)) {
  const raw = join(tmp, `${name}.wav`);
  execFileSync('espeak-ng', ['-v', 'cmn-latn-pinyin', '-s', '165', '-p', '45', '-w', raw, pinyin]);
  const clip = trim(readFileSync(raw));
  writeFileSync(join(out, `${name}.wav`), clip);
  total += clip.length;
}
rmSync(tmp, { recursive: true, force: true });
console.log(`wrote ${Object.keys(CLIPS).length} clips to ${out} (${Math.round(total / 1024)} KB)`);
