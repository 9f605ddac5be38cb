// Audible feedback: a short high beep for a good scan, a low tone for an error (UX.md).
let ctx: AudioContext | null = null;

function tone(freq: number, ms: number): void {
  try {
    ctx ??= new AudioContext();
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = freq;
    gain.gain.value = 0.08;
    osc.connect(gain).connect(ctx.destination);
    osc.start();
    osc.stop(ctx.currentTime + ms / 1000);
  } catch {
    // No audio device: feedback on screen is enough.
  }
}

export const beepOk = () => tone(1800, 70);
export const beepError = () => tone(220, 250);
