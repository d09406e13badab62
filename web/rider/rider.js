// The rider page: after sign-in with their key, the rider's next pickup (ticket, store,
// ready or not, address, the guest's phone, the special-care note) and one button for the
// next step, each a /v1/rider/ call with the browser's position when it gives one.
import { createClient, isTiffinError } from '/lib/sdk.js';
import { html, render, useCallback, useEffect, useState } from '/lib/ui.js';
import { forgetKey, keepKey, takeKey } from './key.js';

/** The one next step from each delivery status. */
const NEXT_STEP = {
  rider_assigned: { tap: 'arrived', label: '到店 / Arrived' },
  at_store: { tap: 'picked-up', label: '已取餐 / Picked up' },
  picked_up: { tap: 'delivered', label: '已送达 / Delivered' },
};
const STATUS_TEXT = {
  rider_assigned: '待到店 / Go to the store',
  at_store: '已到店 / At the store',
  picked_up: '配送中 / On the way',
};
const REFRESH_MS = 15_000;

let key = takeKey();
const api = createClient({ baseUrl: location.origin, token: () => key });

const problemText = (e) =>
  isTiffinError(e) ? (e.status === 0 ? '网络断开 / Offline' : e.detail || e.title || `HTTP ${e.status}`) : String(e);

/** The browser's position if it gives one within a few seconds; never blocks a tap. */
function position() {
  if (!navigator.geolocation) return Promise.resolve(undefined);
  return new Promise((ok) => {
    const done = (p) => ok(p ? { lat: p.coords.latitude, lng: p.coords.longitude } : undefined);
    navigator.geolocation.getCurrentPosition(done, () => done(), { timeout: 4000, maximumAge: 60_000 });
    setTimeout(() => done(), 4500);
  });
}

const time = (iso) => (iso ? new Date(iso).toLocaleTimeString('zh-CN', { hour: '2-digit', minute: '2-digit' }) : '');

function SignIn({ onKey }) {
  const [text, setText] = useState('');
  const [bad, setBad] = useState(false);
  const submit = (ev) => {
    ev.preventDefault();
    if (keepKey(text)) onKey();
    else setBad(true);
  };
  return html`<form class="card" data-testid="rider-sign-in" onSubmit=${submit}>
    <h1>骑手登录 / Rider sign-in</h1>
    <p>打开店长发给你的链接，或粘贴在这里。Open the link your manager sent, or paste it here.</p>
    <input aria-label="link" value=${text} onInput=${(e) => setText(e.target.value)} placeholder="https://…/rider/#key=rdk_…" />
    ${bad && html`<p class="error" role="alert">这不是骑手链接 / Not a rider link</p>`}
    <button class="primary" type="submit">登录 / Sign in</button>
  </form>`;
}

function Pickup({ assignment, next, onTap, busy }) {
  const o = assignment.order;
  const d = o.delivery;
  const status = d.tracking?.status ?? 'rider_assigned';
  const step = NEXT_STEP[status];
  const ready = o.status === 'ready' || o.status === 'delivering';
  return html`<article class=${`card ${next ? 'next' : ''}`} data-testid="pickup" data-order=${o.id}>
    <header class="row">
      <span class="ticket" data-testid="ticket">${o.ticketNo}</span>
      <span class=${`pill ${ready ? 'ok' : 'wait'}`} data-testid="ready">
        ${ready ? '已出餐 / Ready' : '制作中 / Preparing'}
      </span>
    </header>
    ${d.careNote && html`<p class="care" data-testid="care-note">⚠ ${d.careNote}</p>`}
    <p class="status" data-testid="delivery-status">${STATUS_TEXT[status] ?? status}</p>
    <dl>
      <dt>送达 / Deliver to</dt>
      <dd data-testid="address">${d.address}</dd>
      <dt>顾客 / Guest</dt>
      <dd>${d.contactName} · <a href=${`tel:${d.contactPhone}`} data-testid="phone">${d.contactPhone}</a></dd>
      <dt>承诺送达 / Promised by</dt>
      <dd data-testid="promise">
        ${time(d.promisedBy)}${d.slot ? ` (${time(d.slot.start)}–${time(d.slot.end)})` : ' (尽快 / ASAP)'}
      </dd>
    </dl>
    ${
      next &&
      step &&
      html`<button class="primary big" data-testid=${`tap-${step.tap}`} disabled=${busy} onClick=${() => onTap(o.id, step.tap)}>
      ${step.label}
    </button>`
    }
  </article>`;
}

function RiderPage() {
  const [me, setMe] = useState(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [signedIn, setSignedIn] = useState(Boolean(key));

  const load = useCallback(async () => {
    try {
      setMe(await api.rider.me());
      setError('');
    } catch (e) {
      if (isTiffinError(e) && e.status === 401) {
        forgetKey();
        key = null;
        setSignedIn(false);
      }
      setError(problemText(e));
    }
  }, []);

  useEffect(() => {
    if (!signedIn) return undefined;
    load();
    const t = setInterval(load, REFRESH_MS);
    return () => clearInterval(t);
  }, [signedIn, load]);

  const onTap = async (orderId, tap) => {
    setBusy(true);
    try {
      const at = await position();
      await api.rider.tap({ orderId, tap, body: at ? { position: at } : {} });
      await load();
    } catch (e) {
      setError(problemText(e));
    } finally {
      setBusy(false);
    }
  };

  const signIn = () => {
    key = takeKey();
    setSignedIn(true);
  };
  const signOut = () => {
    forgetKey();
    key = null;
    setSignedIn(false);
  };
  if (!signedIn) {
    return html`<main>
      <${SignIn} onKey=${signIn} />
      ${error && html`<p class="error" role="alert">${error}</p>`}
    </main>`;
  }
  const list = me?.assignments ?? [];
  return html`<main>
    <header class="bar">
      <span data-testid="rider-name">${me ? `${me.rider.name} · ${me.rider.storeName}` : '…'}</span>
      <button class="link" onClick=${signOut}>退出 / Sign out</button>
    </header>
    ${error && html`<p class="error" role="alert">${error}</p>`}
    ${me && list.length === 0 && html`<p class="card empty" data-testid="no-pickups">暂无订单 / Nothing to deliver</p>`}
    ${list.map((a, i) => html`<${Pickup} key=${a.id} assignment=${a} next=${i === 0} onTap=${onTap} busy=${busy} />`)}
  </main>`;
}

render(html`<${RiderPage} />`, document.getElementById('root'));
