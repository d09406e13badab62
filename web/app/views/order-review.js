// The review form on a completed order: stars for the order and each dish, words, and a
// complaint box. One review per order; a second is answered "already reviewed".
import { html, useState } from '/lib/ui.js';
import { api, errorCode, guestSession } from '../api.js';
import { addStrings, t } from '../i18n.js';
import { sheet } from '../sheets.js';

await sheet('/app/views/review.css');

addStrings({
  zh: {
    rv_title: '评价这一单',
    rv_order: '整体',
    rv_text: '说说口味、分量、速度…',
    rv_complaint: '这是投诉，请店长联系我',
    rv_submit: '提交评价',
    rv_done: '谢谢评价！获得 {points} 积分',
    rv_followUp: '店长会在 24 小时内回复您',
    rv_exists: '这一单已经评价过了',
    rv_failed: '提交失败，请重试',
    rv_stars: '{n} 星',
  },
  en: {
    rv_title: 'Review this order',
    rv_order: 'Overall',
    rv_text: 'Taste, portions, speed…',
    rv_complaint: 'This is a complaint: ask the manager to contact me',
    rv_submit: 'Send review',
    rv_done: 'Thanks for the review! {points} points earned',
    rv_followUp: 'The manager will answer within 24 hours',
    rv_exists: 'This order was already reviewed',
    rv_failed: 'Could not send it, try again',
    rv_stars: '{n} stars',
  },
});

function Stars({ value, onChange, label, testid }) {
  return html`<span class="rv-stars" role="radiogroup" aria-label=${label} data-testid=${testid}>
    ${[1, 2, 3, 4, 5].map(
      (n) =>
        html`<button type="button" role="radio" aria-checked=${String(value === n)} aria-label=${t('rv_stars', { n })}
          class=${n <= value ? 'on' : ''} onClick=${() => onChange(n)}>★</button>`,
    )}
  </span>`;
}

/** Shown under a completed order of a signed-in guest. */
export function ReviewForm({ order }) {
  const dishes = [...new Map(order.lines.filter((l) => !l.gift).map((l) => [l.itemId, l.name])).entries()];
  const [rating, setRating] = useState(0);
  const [dishRatings, setDishRatings] = useState({});
  const [text, setText] = useState('');
  const [complaint, setComplaint] = useState(false);
  const [state, setState] = useState({ busy: false, done: null, error: null });
  if (!guestSession()) return '';
  if (state.done)
    return html`<section class="card rv" data-testid="review-done" role="status">
      <p>${t('rv_done', { points: state.done.points })}</p>
      ${state.done.followUp ? html`<p class="muted">${t('rv_followUp')}</p>` : ''}
    </section>`;
  const submit = async (e) => {
    e.preventDefault();
    setState({ busy: true, done: null, error: null });
    try {
      const body = {
        orderId: order.id,
        rating,
        ...(text.trim() ? { text: text.trim() } : {}),
        dishes: Object.entries(dishRatings).map(([itemId, r]) => ({ itemId, rating: r })),
        ...(complaint ? { complaint: true } : {}),
      };
      setState({ busy: false, done: await api.loyalty.createReview({ body }), error: null });
    } catch (err) {
      setState({
        busy: false,
        done: null,
        error: errorCode(err) === 'review.exists' ? t('rv_exists') : t('rv_failed'),
      });
    }
  };
  return html`<form class="card rv" data-testid="review-form" onSubmit=${submit}>
    <h2>${t('rv_title')}</h2>
    <div class="rv-row"><span>${t('rv_order')}</span><${Stars} value=${rating} onChange=${setRating} label=${t('rv_order')} testid="review-stars" /></div>
    ${dishes.map(
      ([itemId, name]) =>
        html`<div class="rv-row"><span>${name}</span><${Stars} value=${dishRatings[itemId] ?? 0} label=${name} testid="review-dish-stars"
          onChange=${(n) => setDishRatings({ ...dishRatings, [itemId]: n })} /></div>`,
    )}
    <textarea maxlength="500" rows="3" placeholder=${t('rv_text')} value=${text} onInput=${(e) => setText(e.currentTarget.value)}></textarea>
    <label class="rv-complaint"><input type="checkbox" checked=${complaint} onChange=${(e) => setComplaint(e.currentTarget.checked)} /> ${t('rv_complaint')}</label>
    ${state.error ? html`<p class="error" role="alert">${state.error}</p>` : ''}
    <button class="btn" type="submit" data-testid="review-submit" disabled=${rating === 0 || state.busy}>${t('rv_submit')}</button>
  </form>`;
}
