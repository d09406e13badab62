// The console's words and number formats: Chinese first, English second, as in the guest
// app (web/app/i18n.js), with the language choice shared through the same storage key.
import { useEffect, useState } from '/lib/ui.js';
import { strings } from './strings.js';

const listeners = new Set();
let lang = localStorage.getItem('tiffin.lang') === 'en' ? 'en' : 'zh';
document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';

/** The string for `key` in the current language, `{name}` placeholders filled from `vars`. */
export function t(key, vars) {
  const s = strings[lang][key] ?? strings.zh[key] ?? key;
  return vars ? s.replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? '')) : s;
}

export function setLang(next) {
  lang = next;
  localStorage.setItem('tiffin.lang', next);
  document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
  for (const l of listeners) l(next);
}

/** The current language; re-renders the caller when it changes. */
export function useLang() {
  const [l, setL] = useState(lang);
  useEffect(() => {
    listeners.add(setL);
    return () => listeners.delete(setL);
  }, []);
  return l;
}

const group = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** Cents as yuan with thousands separators: 1234567 → "¥12,345.67". */
export function money(cents) {
  if (cents === null || cents === undefined) return '—';
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(Math.round(cents));
  return `${sign}¥${group(Math.floor(abs / 100))}.${String(abs % 100).padStart(2, '0')}`;
}

/** Whole yuan for axes and tight cells: 1234567 → "¥12,346". */
export function moneyShort(cents) {
  return `¥${group(Math.round(cents / 100))}`;
}

/** A count with separators, "—" when there is none. */
export function count(n) {
  return n === null || n === undefined ? '—' : group(n);
}

/** A rate in [0, 1] as a percentage with one decimal; null ("no data") is "—", never "0 %". */
export function percent(rate) {
  return rate === null || rate === undefined ? '—' : `${(Math.round(rate * 1000) / 10).toFixed(1)}%`;
}

/** A plain decimal (turns, minutes) with `digits` decimals. */
export function decimal(n, digits = 2) {
  return n === null || n === undefined ? '—' : n.toFixed(digits);
}

/** A relative change (0.1 = +10 %) with its sign and an arrow, so it reads without colour. */
export function change(rel) {
  if (rel === null || rel === undefined) return '—';
  const pct = Math.round(rel * 1000) / 10;
  const arrow = pct > 0 ? '▲' : pct < 0 ? '▼' : '＝';
  return `${arrow} ${pct > 0 ? '+' : ''}${pct.toFixed(1)}%`;
}
