// Short tones so the cashier hears the outcome without looking: rising for success, a low
// buzz for failure, two mid beeps for "look at the screen" (payment code, pending). Made
// with an oscillator, so the app ships no audio files and works offline.

export type Tone = 'success' | 'fail' | 'warn';

interface Note {
  hz: number;
  ms: number;
  wave: OscillatorType;
}

const NOTES: Record<Tone, Note[]> = {
  success: [
    { hz: 880, ms: 90, wave: 'sine' },
    { hz: 1320, ms: 140, wave: 'sine' },
  ],
  fail: [{ hz: 196, ms: 380, wave: 'square' }],
  warn: [
    { hz: 660, ms: 110, wave: 'triangle' },
    { hz: 0, ms: 70, wave: 'triangle' },
    { hz: 660, ms: 110, wave: 'triangle' },
  ],
};

let ctx: AudioContext | null = null;

/** Plays a tone; silently does nothing where audio is unavailable (the colour still tells). */
export function playTone(tone: Tone): void {
  try {
    ctx ??= new AudioContext();
    if (ctx.state === 'suspended') void ctx.resume();
    let at = ctx.currentTime;
    for (const note of NOTES[tone]) {
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
