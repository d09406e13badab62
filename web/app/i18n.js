// Chinese first, English second. Strings live in dictionaries keyed by a short id; views
// add their own with `addStrings` so no one file holds every page's words.
import { useEffect, useState } from '/lib/ui.js';

const dict = { zh: {}, en: {} };
const listeners = new Set();
// Chinese until the guest picks English (the header's switch): the brands are in China, and a
// phone set to English there still orders from a Chinese menu.
let lang = localStorage.getItem('tiffin.lang') ?? 'zh';

/** Adds strings: `addStrings({ zh: { cart: '购物车' }, en: { cart: 'Cart' } })`. */
export function addStrings(more) {
  for (const l of Object.keys(dict)) Object.assign(dict[l], more[l] ?? {});
}

/** The string for `key` in the current language, `{name}` placeholders filled from `vars`. */
export function t(key, vars) {
  const s = dict[lang][key] ?? dict.zh[key] ?? key;
  return vars ? s.replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? '')) : s;
}

export function currentLang() {
  return lang;
}

export function setLang(next) {
  lang = next;
  localStorage.setItem('tiffin.lang', next);
  document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
  for (const l of listeners) l(next);
}

/** Re-renders the caller when the language changes. */
export function useLang() {
  const [l, setL] = useState(lang);
  useEffect(() => {
    listeners.add(setL);
    return () => listeners.delete(setL);
  }, []);
  return l;
}

/** Cents as yuan, e.g. 1250 → "¥12.50" (the `cart-total` contract reads the number). */
export function money(cents) {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}¥${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

addStrings({
  zh: {
    appName: 'Tiffin 点餐',
    loading: '加载中…',
    retry: '重试',
    back: '返回',
    me: '我的',
    stores: '门店',
    signIn: '登录',
    signOut: '退出登录',
    language: 'English',
    notFound: '页面不存在',
    offline: '网络不太好，请稍后重试',
  },
  en: {
    appName: 'Tiffin',
    loading: 'Loading…',
    retry: 'Try again',
    back: 'Back',
    me: 'Me',
    stores: 'Stores',
    signIn: 'Sign in',
    signOut: 'Sign out',
    language: '中文',
    notFound: 'Page not found',
    offline: 'The network is slow; please try again',
  },
});
