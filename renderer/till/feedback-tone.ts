// Short tones so the cashier hears the outcome without looking, one per meaning so no two
// can be mistaken: a single soft ping when a checked coupon is shown, a rising chime only when
// WeChat Pay confirmed a redemption, a low buzz for a refusal, and two mid beeps for "look at
// the screen" (unverified coupon, payment code, pending). Made with an oscillator, so the app
// ships no audio files and works offline. A till can be muted; the colours still tell.

export type Tone = 'shown' | 'redeemed' | 'refused' | 'attention';

interface Note {
  hz: number;
  ms: number;
  wave: OscillatorType;
}

export const TONES: Readonly<Record<Tone, readonly Note[]>> = {
  shown: [{ hz: 1040, ms: 70, wave: 'sine' }],
  redeemed: [
    { hz: 880, ms: 90, wave: 'sine' },
    { hz: 1320, ms: 160, wave: 'sine' },
  ],
  refused: [{ hz: 196, ms: 380, wave: 'square' }],
  attention: [
    { hz: 660, ms: 110, wave: 'triangle' },
    { hz: 0, ms: 70, wave: 'triangle' },
    { hz: 660, ms: 110, wave: 'triangle' },
  ],
};

const SOUND_KEY = 'pos.sound';

/** Whether tones play on this till (a setting kept in the page's storage; on unless muted). */
export function soundOn(): boolean {
  try {
    return localStorage.getItem(SOUND_KEY) !== 'off';
  } catch {
    return true;
  }
}

export function setSoundOn(on: boolean): void {
  try {
    localStorage.setItem(SOUND_KEY, on ? 'on' : 'off');
  } catch {
    // Storage unavailable: the setting lasts until the page reloads.
  }
  muted = !on;
}

let muted = !soundOn();
let ctx: AudioContext | null = null;

/** Plays a tone; silently does nothing when muted or where audio is unavailable. */
export function playTone(tone: Tone): void {
  if (muted) return;
  try {
    ctx ??= new AudioContext();
    if (ctx.state === 'suspended') void ctx.resume();
    let at = ctx.currentTime;
    for (const note of TONES[tone]) {
      const seconds = note.ms / 1000;
      if (note.hz > 0) {
        const osc = ctx.createOscillator();
        const gain = ctx.createGain();
        osc.type = note.wave;
        osc.frequency.value = note.hz;
        // A short ramp in and out avoids the click of a hard start and stop.
        gain.gain.setValueAtTime(0, at);
        gain.gain.linearRampToValueAtTime(0.25, at + 0.01);
        gain.gain.linearRampToValueAtTime(0, at + seconds);
        osc.connect(gain).connect(ctx.destination);
        osc.start(at);
        osc.stop(at + seconds);
      }
      at += seconds;
    }
  } catch {
    // No audio device: nothing to do.
  }
}
