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

/**
 * Sounds once the screen has shown what happened: starting a tone can hold the page for several ms
 * (13 ms a scan in a renderer profile), which would otherwise delay drawing the new line. One frame
 * later is not heard as late. A window that draws no frames (hidden) still beeps, by the timeout.
 */
function afterPaint(fn: () => void): void {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    fn();
  };
  requestAnimationFrame(() => setTimeout(once, 0));
  setTimeout(once, 100);
}

export const beepOk = () => afterPaint(() => tone(1800, 70));
export const beepError = () => afterPaint(() => tone(220, 250));
