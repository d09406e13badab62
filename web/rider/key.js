// The rider's sign-in key: it arrives in the link's fragment (`/rider/#key=rdk_…`), is kept
// in this browser and leaves the address at once, so it is never in history or a screenshot.

const STORE = 'tiffin.rider.key';

/** The key from the address (moved into storage) or from storage; null when signed out. */
export function takeKey() {
  const m = /(?:^#|&)key=(rdk_[\w-]+)/.exec(location.hash);
  if (m) {
    localStorage.setItem(STORE, m[1]);
    history.replaceState(null, '', location.pathname + location.search);
  }
  return localStorage.getItem(STORE);
}

/** Keeps a key pasted by hand (the whole link or the key alone); false when it is not one. */
export function keepKey(text) {
  const m = /(rdk_[\w-]+)/.exec(text.trim());
  if (!m) return false;
  localStorage.setItem(STORE, m[1]);
  return true;
}

export function forgetKey() {
  localStorage.removeItem(STORE);
}
