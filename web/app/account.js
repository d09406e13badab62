// What the guest's own pages share: who is signed in (as state), where sign-in goes and
// comes back to, the browser's stable device id, and the "sign in first" card.
import { html, useEffect, useState } from '/lib/ui.js';
import { guestSession, onSessionChange } from './api.js';
import { addStrings, t } from './i18n.js';

/** The guest's session as state: re-renders when they sign in or out. */
export function useGuest() {
  const [session, setSession] = useState(guestSession);
  useEffect(() => onSessionChange(setSession), []);
  return session;
}

/** A path of this app only (`/me`, `/r/ABC`), never another origin: the sign-in page's `next`. */
export function safeNext(next, fallback = '/me') {
  return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\')
    ? next
    : fallback;
}

/** The sign-in page that comes back to `next` (default: where the guest is now). */
export function signInHref(next = location.pathname + location.search) {
  return `/sign-in?next=${encodeURIComponent(safeNext(next))}`;
}

function randomToken(bytes) {
  return Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A random id kept by this browser: referrals, group buys and bargains count one per device. */
export function deviceId() {
  let id = localStorage.getItem('tiffin.device');
  if (!id) {
    id = `web-${randomToken(12)}`;
    localStorage.setItem('tiffin.device', id);
  }
  return id;
}

export { randomToken };

/** Time left until `iso` as "1:05:09" (or "4:09"), ticking each second; "0:00" once past. */
export function useTimeLeft(iso) {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const s = Math.max(0, Math.floor((Date.parse(iso) - now) / 1000));
  const two = (n) => String(n).padStart(2, '0');
  const h = Math.floor(s / 3600);
  return h > 0 ? `${h}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}` : `${Math.floor(s / 60)}:${two(s % 60)}`;
}

/** Shares a link: the system share sheet where there is one, else the clipboard. */
export async function shareLink(url, title) {
  if (navigator.share) {
    await navigator.share({ url, title }).catch(() => {});
    return 'shared';
  }
  await navigator.clipboard?.writeText(url);
  return 'copied';
}

/** The card a page shows instead of itself when the guest has not signed in. */
export function SignInFirst({ why }) {
  return html`
    <div class="card signin-first">
      <p>${why ?? t('acct.signInFirst')}</p>
      <a class="btn" href=${signInHref()} data-testid="go-sign-in">${t('signIn')}</a>
    </div>
  `;
}

addStrings({
  zh: { 'acct.signInFirst': '登录后查看' },
  en: { 'acct.signInFirst': 'Sign in to see this' },
});
