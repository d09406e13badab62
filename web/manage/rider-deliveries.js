// Today's delivery orders for the store's own riders (`riders.deliveries`): those waiting for
// a rider and those a rider carries, each with a picker to assign or reassign. The answer of
// `riders.assign` updates the row in place; a refusal (problem+json) is said on the row, in
// words for the codes a manager meets (a deactivated rider, an order that left the store).
import { html, useState } from '/lib/ui.js';
import { api, problemText } from './api.js';
import { t } from './i18n.js';

const KNOWN = new Set(['rider.inactive', 'rider.order_not_assignable', 'rider.not_found']);
/** The roster is out of date when the API knows better about a rider. */
const ROSTER_STALE = new Set(['rider.inactive', 'rider.not_found']);

const clock = (iso) => (iso ? iso.slice(11, 16) : '');

function Row({ item, riders, onAssigned, onRosterStale }) {
  const { order, riderId, assignable } = item;
  const d = order.delivery;
  const tracking = d?.tracking && !['cancelled', 'failed'].includes(d.tracking.status) ? d.tracking : null;
  const [picked, setPicked] = useState(riderId ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const active = riders.filter((r) => r.active);
  const current = riders.find((r) => r.id === riderId);
  const choosable = current && !current.active ? [...active, current] : active;
  // A rider deactivated since they were picked is no choice any more.
  const chosen = active.some((r) => r.id === picked) ? picked : '';

  const assign = async (e) => {
    e.preventDefault();
    if (!chosen) return;
    setBusy(true);
    setError(null);
    try {
      onAssigned(await api.riders.assign({ orderId: order.id, body: { riderId: chosen } }));
    } catch (err) {
      const name = riders.find((r) => r.id === chosen)?.name ?? chosen;
      const code = err?.code;
      setError({
        code,
        text: KNOWN.has(code) ? t(`problem.${code}`, { name }) : problemText(err),
        detail: problemText(err),
      });
      if (ROSTER_STALE.has(code)) onRosterStale();
    } finally {
      setBusy(false);
    }
  };

  return html`<li class="delivery" data-testid="delivery-row" data-order=${order.id} data-rider=${riderId ?? ''}>
    <div class="delivery-head">
      <strong class="ticket" data-testid="delivery-ticket">${order.ticketNo}</strong>
      <span class="when">${d?.promisedBy ? t('promisedBy', { time: clock(d.promisedBy) }) : t('asap')}</span>
      <span class="order-status">${t(`order.${order.status}`)}</span>
    </div>
    <div class="delivery-where">${d?.address} · ${d?.contactName} ${d?.contactPhone}</div>
    ${d?.careNote ? html`<div class="care-note">${t('careNote')}: ${d.careNote}</div>` : null}
    <div class="delivery-rider" data-testid="delivery-rider">
      ${
        tracking?.rider
          ? html`<span class="state state-on">${t('assignedTo', { name: tracking.rider.name })}</span>
              ${current && !current.active ? html`<strong class="rider-off" data-testid="rider-off"> (${t('riderInactive')})</strong>` : null}
              <span class="muted"> · ${t(`track.${tracking.status}`)}</span>`
          : html`<span class="state state-wait">${t('noRiderYet')}</span>`
      }
    </div>
    ${
      assignable
        ? html`<form class="assign" onSubmit=${assign}>
            <label>${t('pickRider')}
              <select value=${chosen} onChange=${(e) => setPicked(e.currentTarget.value)} data-testid="rider-picker">
                <option value="" disabled selected=${chosen === ''}>${active.length ? t('chooseRider') : t('noActiveRiders')}</option>
                ${choosable.map(
                  (r) =>
                    html`<option key=${r.id} value=${r.id} disabled=${!r.active} selected=${chosen === r.id}>${r.name}${r.active ? '' : ` (${t('riderInactive')})`}</option>`,
                )}
              </select>
            </label>
            <button type="submit" class="btn primary" disabled=${busy || !chosen || chosen === riderId} data-testid="assign">
              ${busy ? t('assigning') : riderId ? t('reassign') : t('assign')}
            </button>
          </form>`
        : html`<p class="muted">${t('leftStore')}</p>`
    }
    ${
      error
        ? html`<div class="problem" role="alert" data-testid="assign-error" data-code=${error.code ?? ''}>
            <p>${error.text}</p>${error.text !== error.detail ? html`<small>${error.detail}</small>` : null}
          </div>`
        : null
    }
  </li>`;
}

export function Deliveries({ deliveries, riders, onAssigned, onRosterStale }) {
  return html`<div class="deliveries">
    <h3>${t('deliveries')}</h3>
    ${
      deliveries.length === 0
        ? html`<p class="empty" data-testid="deliveries-empty">${t('noDeliveries')}</p>`
        : html`<ul class="delivery-list">
            ${deliveries.map(
              (item) =>
                html`<${Row} key=${item.order.id} item=${item} riders=${riders} onAssigned=${onAssigned} onRosterStale=${onRosterStale} />`,
            )}
          </ul>`
    }
  </div>`;
}
