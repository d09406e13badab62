// New-ticket sound: a short two-tone beep once the staff have touched the screen (browsers
// keep audio locked until then), switchable and remembered per tablet.

let audio = null;
let soundOn = localStorage.getItem('tiffin.kds.sound') !== 'off';

export const isSoundOn = () => soundOn;

/** Flips the sound and remembers it; returns whether it is now on. */
export function toggleSound() {
  soundOn = !soundOn;
  localStorage.setItem('tiffin.kds.sound', soundOn ? 'on' : 'off');
  if (soundOn) {
    unlockAudio();
    beep();
  }
  return soundOn;
}

export const unlockAudio = () => {
  if (audio) return;
  const Ctx = window.AudioContext || window.webkitAudioContext;
  if (!Ctx) return;
  try {
    audio = new Ctx();
    if (audio.state === 'suspended') audio.resume();
  } catch {
    audio = null;
  }
};
window.addEventListener('pointerdown', unlockAudio, { capture: true, passive: true });
window.addEventListener('keydown', unlockAudio, { capture: true });

let beepTimer = null;
/** A short two-tone beep; several new tickets at once beep once. */
export function beep() {
  if (!soundOn || !audio || beepTimer) return;
  beepTimer = setTimeout(() => {
    beepTimer = null;
  }, 400);
  try {
    const t = audio.currentTime;
    for (const [freq, at] of [
      [880, 0],
      [1320, 0.16],
    ]) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.type = 'sine';
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, t + at);
      gain.gain.exponentialRampToValueAtTime(0.35, t + at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + at + 0.14);
      osc.connect(gain).connect(audio.destination);
      osc.start(t + at);
      osc.stop(t + at + 0.15);
    }
  } catch {
    // Sound is a nicety: a failing audio device never breaks the display.
  }
}
