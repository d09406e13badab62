// The delivery choices at checkout: when it should arrive (as soon as possible, or a slot the
// store offers, each with its promised arrival) and a special-care note for the rider
// (pregnant guest, fragile, soup, no doorbell), suggested tags one tap away.
import { html, useEffect, useState } from '/lib/ui.js';
import { api } from '../api.js';
import { addStrings, t } from '../i18n.js';

addStrings({
  zh: {
    deliveryWhen: '送达时间',
    deliveryAsap: '尽快送达',
    deliverySlot: '{start}–{end} 送达（{by} 前）',
    careNote: '给骑手的备注',
    careNotePlaceholder: '如：孕妇、易碎、不要按门铃',
  },
  en: {
    deliveryWhen: 'Arrival',
    deliveryAsap: 'As soon as possible',
    deliverySlot: '{start}–{end} (by {by})',
    careNote: 'Note for the rider',
    careNotePlaceholder: 'e.g. pregnant guest, fragile, no doorbell',
  },
});

/** "12:30": the store's own clock, read from the ISO time's offset. */
const clock = (iso) => iso.slice(11, 16);

/** `value`: `{ deliverySlot?, careNote? }`; `onChange` hears the whole next value. */
export function DeliveryOptions({ storeId, value, onChange }) {
  const [slots, setSlots] = useState(null);
  useEffect(() => {
    api.stores
      .deliverySlots({ storeId })
      .then(setSlots)
      .catch(() => setSlots({ items: [], careNoteSuggestions: [] }));
  }, [storeId]);
  const note = value?.careNote ?? '';
  const set = (patch) => onChange({ ...value, ...patch });
  const addTag = (tag) => {
    if (note.includes(tag)) return;
    set({ careNote: (note ? `${note} ${tag}` : tag).slice(0, 60) });
  };
  return html`
    <section class="card delivery-options" aria-label=${t('deliveryWhen')}>
      <label class="field"><span class="muted">${t('deliveryWhen')}</span>
        <select data-testid="delivery-slot" value=${value?.deliverySlot ?? ''}
          onChange=${(e) => set({ deliverySlot: e.target.value || undefined })}>
          <option value="">${t('deliveryAsap')}</option>
          ${(slots?.items ?? []).map(
            (s) =>
              html`<option value=${s.start}>${t('deliverySlot', { start: clock(s.start), end: clock(s.end), by: clock(s.promisedBy) })}</option>`,
          )}
        </select>
      </label>
      <label class="field"><span class="muted">${t('careNote')}</span>
        <input maxlength="60" data-testid="care-note" placeholder=${t('careNotePlaceholder')} value=${note}
          onInput=${(e) => set({ careNote: e.target.value })} />
      </label>
      <div class="chips">
        ${(slots?.careNoteSuggestions ?? []).map(
          (tag) =>
            html`<button type="button" class="chip" data-testid="care-tag" onClick=${() => addTag(tag)}>${tag}</button>`,
        )}
      </div>
    </section>`;
}
