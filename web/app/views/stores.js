// `/`: the store picker. The list comes at once; when the browser gives a location (asked for
// with a short timeout, never blocking the list) it is fetched again nearest first.
import { html, useEffect, useState } from '/lib/ui.js';
import { api } from '../api.js';
import { addStrings, t } from '../i18n.js';

addStrings({
  zh: {
    storesTitle: '选择门店',
    openNow: '营业中',
    closedNow: '休息中',
    closesAt: '{time} 打烊',
    opensAt: '{time} 开始营业',
    nearest: '离你最近',
    noStores: '暂无门店',
    metres: '{n} 米',
    km: '{n} 公里',
  },
  en: {
    storesTitle: 'Choose a store',
    openNow: 'Open',
    closedNow: 'Closed',
    closesAt: 'closes {time}',
    opensAt: 'opens {time}',
    nearest: 'Nearest',
    noStores: 'No stores yet',
    metres: '{n} m',
    km: '{n} km',
  },
});

/** "HH:MM" of an ISO time with offset, read as the store's own wall clock. */
export const clock = (iso) => (iso ? iso.slice(11, 16) : '');

function distance(m) {
  if (m === undefined) return '';
  return m < 1000 ? t('metres', { n: m }) : t('km', { n: (m / 1000).toFixed(1) });
}

function where() {
  return new Promise((resolve) => {
    if (!navigator.geolocation) return resolve(null);
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lat: p.coords.latitude, lng: p.coords.longitude }),
      () => resolve(null),
      { timeout: 4000, maximumAge: 600_000 },
    );
  });
}

export default function Stores() {
  const [stores, setStores] = useState(null);
  const [located, setLocated] = useState(false);
  const [error, setError] = useState(null);
  const load = () => {
    setError(null);
    api.stores
      .list({})
      // Without a location, the stores open now come first (the API sorts by name).
      .then((r) => setStores((s) => s ?? [...r.items].sort((a, b) => Number(b.openNow) - Number(a.openNow))))
      .catch(setError);
    where().then((at) => {
      if (!at) return;
      api.stores
        .list(at)
        .then((r) => {
          setStores(r.items);
          setLocated(true);
        })
        .catch(() => {});
    });
  };
  useEffect(load, []);
  // The menu is the next tap: fetch its code once this screen has settled.
  useEffect(() => {
    const timer = setTimeout(() => import('./menu.js').catch(() => {}), 1500);
    return () => clearTimeout(timer);
  }, []);

  if (error && !stores)
    return html`<p class="error" role="alert">${t('offline')} <button class="link" onClick=${load}>${t('retry')}</button></p>`;
  if (!stores) return html`<p class="boot" role="status">${t('loading')}</p>`;
  if (stores.length === 0) return html`<p class="empty">${t('noStores')}</p>`;
  return html`
    <h1 class="page-title">${t('storesTitle')}</h1>
    <ul class="store-list">
      ${stores.map(
        (s, i) => html`
          <li key=${s.id}>
            <a class="card store" href=${`/s/${encodeURIComponent(s.id)}`} data-testid="store" data-store-id=${s.id} data-open=${String(s.openNow)}>
              <span class="store-head">
                <strong class="store-name">${s.name}</strong>
                <span class=${`store-state ${s.openNow ? 'open' : 'closed'}`}>${s.openNow ? t('openNow') : t('closedNow')}</span>
              </span>
              <span class="muted store-address">${s.address}</span>
              <span class="muted">
                ${located && i === 0 ? html`<span class="badge">${t('nearest')}</span> ` : ''}
                ${[
                  distance(s.distanceMetres),
                  s.openNow && s.closesAt ? t('closesAt', { time: clock(s.closesAt) }) : '',
                  !s.openNow && s.opensAt ? t('opensAt', { time: clock(s.opensAt) }) : '',
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </span>
            </a>
          </li>
        `,
      )}
    </ul>
  `;
}
