// Spoken orders: the display reads new orders, urges and cancellations aloud in Mandarin
// (speechSynthesis, zh-CN), one sentence after another so none cuts another off. Where the
// browser cannot speak Chinese (no speechSynthesis, or no zh voice), a chime plays instead.
// The Sound switch (sound.js, remembered per tablet) mutes both.
import { announcement } from './announce-text.js';
import { beep, isSoundOn } from './sound.js';

/** Sentences waiting to be spoken; the oldest is dropped past this many (a reconnect burst). */
const MAX_QUEUE = 6;
/** Events older than this (a long catch-up after a reconnect) are not read out. */
const STALE_MS = 10 * 60_000;

const queue = [];
let speaking = false;

/** Everything said (or chimed for), for the page's test hook. */
export const spoken = [];

const synth = () => (typeof window.speechSynthesis === 'object' && window.speechSynthesis) || null;

function zhVoice() {
  const s = synth();
  if (!s || typeof window.SpeechSynthesisUtterance !== 'function') return undefined;
  // Voices load after the page does; by the first order they are listed (else: the chime).
  const voices = s.getVoices?.() ?? [];
  return voices.find((v) => /^zh[-_]CN/i.test(v.lang)) ?? voices.find((v) => /^(zh|cmn)/i.test(v.lang));
}

/** Whether this browser can read Chinese aloud. */
export const canSpeak = () => zhVoice() !== undefined;

function next() {
  const s = synth();
  if (speaking || queue.length === 0 || !s) return;
  const text = queue.shift();
  if (!isSoundOn()) {
    queue.length = 0;
    return;
  }
  const u = new window.SpeechSynthesisUtterance(text);
  u.lang = 'zh-CN';
  const voice = zhVoice();
  if (voice) u.voice = voice;
  u.rate = 0.95;
  speaking = true;
  const done = () => {
    if (!speaking) return;
    speaking = false;
    clearTimeout(guard);
    next();
  };
  // A stuck engine (a known Chrome habit) must not silence the queue for good.
  const guard = setTimeout(done, 4_000 + text.length * 350);
  u.onend = done;
  u.onerror = done;
  s.speak(u);
}

/** Says a sentence after the ones already queued (or chimes where speech is unavailable). */
export function say(text) {
  if (!text || !isSoundOn()) return;
  spoken.push(text);
  if (!canSpeak()) {
    beep();
    return;
  }
  queue.push(text);
  if (queue.length > MAX_QUEUE) queue.shift();
  next();
}

/** Reads a kitchen event aloud: `kind` is `created`, `urged` or `cancelled`. */
export function announce(kind, ticket, at = Date.now()) {
  if (Date.now() - at > STALE_MS) return;
  say(announcement(kind, ticket));
}

/** Stops what is being said and forgets the queue (the mute switch). */
export function hush() {
  queue.length = 0;
  speaking = false;
  synth()?.cancel?.();
}

synth()?.addEventListener?.('voiceschanged', () => next());
