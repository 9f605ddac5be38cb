// 语音播报: on a completed electronic payment the till says "微信收款 12.30 元" through the browser's
// own speech (Web Speech, speechSynthesis) with a Chinese voice — Windows in Chinese ships one
// (Microsoft Huihui / Xiaoxiao). Where the PC has no Chinese voice, it sounds a short two-note chime
// through Web Audio instead: reading digits with recorded clips would need clips made by a TTS program,
// which the till does not ship (no system program on a product path), and a wrong-language voice
// reading Chinese digits is worse than a chime.
//
// What was said last is written on the page root (data-last-voice, data-last-voice-via = speech / tone /
// off, data-voice-count): harmless on the counter and what the e2e tests read, since a test cannot
// hear the speaker.
import type { VoiceSettings } from '../../../shared/api/settings';
import { call } from '../api/client';
import { paymentSentence, pickChineseVoice, speechVolume, type PaymentProviderName } from './voice-text';

export type VoiceVia = 'speech' | 'tone' | 'off';

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

let count = 0;
function record(text: string, via: VoiceVia): void {
  const root = document.documentElement;
  root.dataset.lastVoice = text;
  root.dataset.lastVoiceVia = via;
  root.dataset.voiceCount = String(++count);
}

/** Says `text` with a Chinese voice, or chimes where there is none. Returns how it was said. */
export async function say(text: string, volumePercent: number): Promise<VoiceVia> {
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
  return say(text, s.volume);
}
