// The Riders section for one store: its own riders (add, deactivate, a sign-in link shown
// once) and today's delivery orders, each with a rider picker. Any staff of the store may
// assign; changing the roster is a store manager's or an admin's (the API's rule, in
// worker/riders/riders.index.ts), so a clerk sees the roster without its buttons.
import { html, useCallback, useEffect, useRef, useState } from '/lib/ui.js';
import { api, isForbidden } from './api.js';
import { t } from './i18n.js';
import { Deliveries } from './rider-deliveries.js';
import { Roster } from './rider-roster.js';
import { Section } from './section.js';

const POLL_MS = 30_000;

/** Whether the account may use the section at all, and whether it may change the roster. */
export const riderRights = (account) => ({
  see: account.role === 'admin' || account.role === 'staff',
  manage: account.role === 'admin' || account.staffRole === 'manager',
});

/**
 * The roster and the deliveries of one store. Deliveries are polled (new orders come in on
 * their own); the roster changes by the manager's hand, so it is read again on Refresh or when
 * an assignment says it is out of date. A poll that started before a local change is dropped.
 */
function useRiderData(storeId) {
  const [state, setState] = useState({ data: null, error: null, loading: true, stale: false });
  const changes = useRef(0);
  const mounted = useRef(true);
  const set = (fn) => mounted.current && setState(fn);

  const reload = useCallback(() => {
    const at = ++changes.current;
    set((s) => ({ ...s, error: null, loading: true }));
    Promise.all([api.riders.list({ storeId }), api.riders.deliveries({ storeId })]).then(
      // A change made while this was on its way is newer than the answer: keep it.
      ([r, d]) =>
        set((s) =>
          at === changes.current
            ? { data: { riders: r.items, deliveries: d.items }, error: null, loading: false, stale: false }
            : { ...s, loading: false },
        ),
      (error) => set((s) => (s.data ? { ...s, loading: false, stale: true } : { ...s, error, loading: false })),
    );
  }, [storeId]);

  useEffect(() => {
    mounted.current = true;
    reload();
    const timer = setInterval(() => {
      const at = changes.current;
      api.riders.deliveries({ storeId }).then(
        (d) =>
          at === changes.current &&
          set((s) => (s.data ? { ...s, data: { ...s.data, deliveries: d.items }, stale: false } : s)),
        () => set((s) => ({ ...s, stale: true })),
      );
    }, POLL_MS);
    return () => {
      mounted.current = false;
      clearInterval(timer);
    };
  }, [reload]);

  /** Applies a change the API just confirmed, without a reload. */
  const patch = useCallback((fn) => {
    changes.current++;
    set((s) => (s.data ? { ...s, data: fn(s.data) } : s));
  }, []);
  return { ...state, retry: reload, patch };
}

function StoreRiders({ storeId, stores, onStore, manage }) {
  const load = useRiderData(storeId);
  if (load.error && isForbidden(load.error)) return null;
  const data = load.data;
  const tools = html`<span class="riders-tools">
    ${
      stores.length > 1
        ? html`<label>${t('ridersStore')}
            <select value=${storeId} onChange=${(e) => onStore(e.currentTarget.value)} data-testid="riders-store">
              ${stores.map((s) => html`<option key=${s.id} value=${s.id}>${s.name}</option>`)}
            </select></label>`
        : null
    }
    <button type="button" class="btn" onClick=${load.retry} disabled=${load.loading} data-testid="riders-refresh">${t('refresh')}</button>
  </span>`;
  const replaceRider = (rider) =>
    load.patch((d) => ({
      ...d,
      riders: d.riders.some((r) => r.id === rider.id)
        ? d.riders.map((r) => (r.id === rider.id ? rider : r))
        : [...d.riders, rider],
    }));
  const assigned = (order) =>
    load.patch((d) => ({
      ...d,
      deliveries: d.deliveries.map((i) =>
        i.order.id === order.id ? { ...i, order, riderId: order.delivery?.tracking?.rider?.riderId ?? null } : i,
      ),
    }));
  return html`<${Section} id="riders" title=${t('riders')} note=${t('ridersNote')} tools=${tools} load=${load}>
    ${
      data
        ? html`
      ${load.stale ? html`<p class="problem-inline" role="status">${t('refreshFailed')}</p>` : null}
      <${Roster} storeId=${storeId} riders=${data.riders} deliveries=${data.deliveries} manage=${manage} onRider=${replaceRider} />
      <${Deliveries} deliveries=${data.deliveries} riders=${data.riders} onAssigned=${assigned} onRosterStale=${load.retry} />`
        : null
    }
  </${Section}>`;
}

/** `stores`: the stores the console shows (those picked, or all the account may see). */
export function Riders({ account, stores }) {
  const rights = riderRights(account);
  const [picked, setPicked] = useState(null);
  if (!rights.see || stores.length === 0) return null;
  const storeId = stores.some((s) => s.id === picked) ? picked : stores[0].id;
  return html`<${StoreRiders} key=${storeId} storeId=${storeId} stores=${stores} onStore=${setPicked} manage=${rights.manage} />`;
}
