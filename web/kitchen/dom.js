// Small DOM helpers, the status pill and toasts.
import { state } from './state.js';

export const $ = (id) => document.getElementById(id);

export function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

export function setStatus(status, text) {
  state.status = status;
  const pill = $('status');
  pill.dataset.state = status;
  $('status-text').textContent = text;
}

export function toast(message, kind = 'error') {
  const t = el('div', `toast ${kind}`, message);
  $('toasts').append(t);
  setTimeout(() => t.remove(), 5000);
}
