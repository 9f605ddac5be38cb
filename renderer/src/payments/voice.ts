// 语音播报: on a completed electronic payment the till says "微信收款 12.30 元" through the browser's
// own speech (Web Speech, speechSynthesis) with a Chinese voice — Windows in Chinese ships one
// (Microsoft Huihui / Xiaoxiao). Where the PC has no Chinese voice, it plays short recorded clips in
// sequence through Web Audio (微信收款 · 十 · 二 · 点 · 三 · 元: resources/voice/*.wav, made once by
// scripts/make-voice-clips.mjs with espeak-ng and shipped; nothing runs a program at the counter); if
// they cannot be played, a short two-note chime. A wrong-language voice reading Chinese digits is worse.
//
// What was said last is written on the page root (data-last-voice, data-last-voice-via = speech / clips /
// tone / off, data-last-voice-clips, data-voice-count): harmless on the counter and what the e2e tests
// read, since a test cannot hear the speaker.
import type { VoiceSettings } from '../../../shared/api/settings';
import { call } from '../api/client';
import { clipSequence, paymentSentence, pickChineseVoice, speechVolume, type ClipName, type PaymentProviderName } from './voice-text';


export type VoiceVia = 'speech' | 'clips' | 'tone' | 'off';

const DEFAULTS: VoiceSettings = { enabled: true, volume: 80 };
let settings: VoiceSettings | null = null;
let loading: Promise<VoiceSettings> | null = null;

/** The settings screen hands over what it saved, so the next payment uses it without a reload. */
export function setVoiceSettings(s: VoiceSettings): void {
  settings = s;
}

function currentSettings(): Promise<VoiceSettings> {
  if (settings) return Promise.resolve(settings);
  loading ??= call('settings.voice', {})
    .then((s) => (settings = s))
    .catch(() => DEFAULTS) // not logged in yet / till unreachable: speak with the defaults
    .finally(() => (loading = null));
  return loading;
}

let voicesWait: Promise<void> | null = null;
/** Chromium fills getVoices() a moment after start-up ('voiceschanged'): wait for it once, briefly. */
function voicesLoaded(synth: SpeechSynthesis): Promise<void> {
  if (synth.getVoices().length) return Promise.resolve();
  voicesWait ??= new Promise<void>((resolve) => {
    const done = () => {
      synth.removeEventListener('voiceschanged', done);
      resolve();
    };
    synth.addEventListener('voiceschanged', done);
    window.setTimeout(done, 600); // no voices at all: do not hold the chime back longer
  });
  return voicesWait;
}

let audio: AudioContext | null = null;
/** Two rising notes, like a cash register's "ding-dong", at the broadcast's volume. */
function chime(volume: number): void {
  try {
    audio ??= new AudioContext();
    const t0 = audio.currentTime;
    [
      [988, 0, 0.16],
      [1319, 0.17, 0.3],
    ].forEach(([freq, start, len]) => {
      const osc = audio!.createOscillator();
      const gain = audio!.createGain();
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.25 * volume, t0 + start);
      gain.gain.exponentialRampToValueAtTime(0.001, t0 + start + len);
      osc.connect(gain).connect(audio!.destination);
      osc.start(t0 + start);
      osc.stop(t0 + start + len);
    });
  } catch {
    // No audio device: the screen shows the payment anyway.
  }
}

const decoded = new Map<ClipName, Promise<AudioBuffer>>();
/**
 * A clip decoded once. The clips are data URLs in their own chunk (voice-clips.ts), loaded on first use
 * and turned into bytes here: no fetch (the CSP's connect-src is 'self', and the Electron app's page is
 * on file://).
 */
function clip(name: ClipName): Promise<AudioBuffer> {
  let p = decoded.get(name);
  if (!p) {
    p = import('./voice-clips')
      .then(({ CLIP_URLS }) => {
        const b64 = CLIP_URLS[name].slice(CLIP_URLS[name].indexOf(',') + 1);
        return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)).buffer;
      })
      .then((b) => audio!.decodeAudioData(b));
    p.catch(() => decoded.delete(name)); // tried again next time
    decoded.set(name, p);
  }
  return p;
}

/** Plays the clips back to back through Web Audio; false when they cannot be loaded or decoded (then the chime). */
async function playClips(names: readonly ClipName[], volume: number): Promise<boolean> {
  try {
    audio ??= new AudioContext();
    const buffers = await Promise.all(names.map(clip));
    if (audio.state === 'suspended') await audio.resume().catch(() => undefined);
    const gain = audio.createGain();
    gain.gain.value = volume;
    gain.connect(audio.destination);
    let at = audio.currentTime + 0.02;
    for (const b of buffers) {
      const src = audio.createBufferSource();
      src.buffer = b;
      src.connect(gain);
      src.start(at);
      at += b.duration + 0.03; // a breath between words
    }
    return true;
  } catch {
    return false;
  }
}

let count = 0;
function record(text: string, via: VoiceVia, clips: readonly ClipName[] = []): void {
  const root = document.documentElement;
  root.dataset.lastVoice = text;
  root.dataset.lastVoiceVia = via;
  root.dataset.lastVoiceClips = clips.join(' ');
  root.dataset.voiceCount = String(++count);
}

/**
 * Says `text` with a Chinese voice; where there is none, plays `clips` (the same words recorded), or
 * chimes. Returns how it was said.
 */
export async function say(text: string, volumePercent: number, clips: readonly ClipName[] | null = null): Promise<VoiceVia> {
  const volume = speechVolume(volumePercent);
  const synth = typeof window !== 'undefined' ? window.speechSynthesis : undefined;
  if (synth && typeof SpeechSynthesisUtterance !== 'undefined') {
    await voicesLoaded(synth);
    const voice = pickChineseVoice(synth.getVoices());
    if (voice) {
      const u = new SpeechSynthesisUtterance(text);
      u.lang = voice.lang;
      try {
        u.voice = voice;
      } catch {
        // Only a real SpeechSynthesisVoice is taken; the language above picks one anyway.
      }
      u.volume = volume;
      u.rate = 1;
      synth.resume(); // Chromium can leave the queue paused after a long idle
      synth.speak(u);
      record(text, 'speech');
      return 'speech';
    }
  }
  if (clips && (await playClips(clips, volume))) {
    record(text, 'clips', clips);
    return 'clips';
  }
  chime(volume);
  record(text, 'tone');
  return 'tone';
}

// Attempts already announced: a status polled twice, or seen by two screens, is said once.
const announced: string[] = [];

/**
 * Announces a completed electronic payment ("微信收款 12.30 元") when 语音播报 is on.
 * `attemptId` makes it once per payment whoever reports it.
 */
export async function announcePayment(p: { provider: PaymentProviderName; amountFen: number; attemptId?: string }): Promise<VoiceVia> {
  if (p.attemptId) {
    if (announced.includes(p.attemptId)) return 'off';
    announced.push(p.attemptId);
    if (announced.length > 100) announced.shift();
  }
  const text = paymentSentence(p.provider, p.amountFen);
  const s = await currentSettings();
  if (!s.enabled) {
    record(text, 'off');
    return 'off';
  }
  return say(text, s.volume, clipSequence(p.provider, p.amountFen));
}
