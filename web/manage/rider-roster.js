// The store's riders: who they are, whether they can sign in and how many deliveries each
// carries now; a manager adds one, deactivates or reactivates one, and makes a sign-in link,
// which the API returns this once (only its hash is kept), so the page shows it once too.
import { html, useRef, useState } from '/lib/ui.js';
import { api, problemText } from './api.js';
import { t } from './i18n.js';

function LinkOnce({ shown, onDone }) {
  const [copied, setCopied] = useState(null);
  const input = useRef(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(shown.link);
      setCopied('ok');
    } catch {
      input.current?.select();
      setCopied(document.execCommand?.('copy') ? 'ok' : 'failed');
    }
  };
  return html`<div class="link-once" role="status" data-testid="rider-link">
    <h3>${t('linkFor', { name: shown.name })}</h3>
    <div class="link-row">
      <input ref=${input} readonly value=${shown.link} aria-label=${t('linkFor', { name: shown.name })}
        onFocus=${(e) => e.currentTarget.select()} data-testid="rider-link-url" />
      <button type="button" class="btn primary" onClick=${copy} data-testid="rider-link-copy">
        ${copied === 'ok' ? `✓ ${t('copied')}` : t('copy')}
      </button>
    </div>
    ${copied === 'failed' ? html`<p class="problem-inline">${t('copyFailed')}</p>` : null}
    <p class="link-note" data-testid="rider-link-note">⚠ ${t('linkOnce')}</p>
    <button type="button" class="btn" onClick=${onDone} data-testid="rider-link-done">${t('done')}</button>
  </div>`;
}

function AddRider({ storeId, onRider }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const submit = async (e) => {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    setBusy(true);
    setError(null);
    try {
      onRider(
        await api.riders.add({ storeId, body: { name: String(data.get('name')), phone: String(data.get('phone')) } }),
      );
      form.reset();
    } catch (err) {
      setError(problemText(err));
    } finally {
      setBusy(false);
    }
  };
  return html`<form class="add-rider" onSubmit=${submit} data-testid="add-rider">
    <label>${t('riderName')} <input name="name" required maxlength="40" autocomplete="off" data-testid="rider-name-input" /></label>
    <label>${t('riderPhone')} <input name="phone" type="tel" required maxlength="20" autocomplete="off" data-testid="rider-phone-input" /></label>
    <button type="submit" class="btn primary" disabled=${busy}>${busy ? t('adding') : t('addRider')}</button>
    ${error ? html`<p class="problem" role="alert" data-testid="add-rider-error">${error}</p>` : null}
  </form>`;
}

/** `deliveries`: the store's rider deliveries, to count what each rider carries now. */
export function Roster({ storeId, riders, deliveries, manage, onRider }) {
  const [busy, setBusy] = useState(null);
  const [error, setError] = useState(null);
  const [shown, setShown] = useState(null);
  const act = async (riderId, call) => {
    setBusy(riderId);
    setError(null);
    try {
      await call();
    } catch (err) {
      setError(problemText(err));
    } finally {
      setBusy(null);
    }
  };
  const setActive = (r, active) =>
    act(r.id, async () => {
      onRider(await api.riders.update({ storeId, riderId: r.id, body: { active } }));
      // Deactivating ends the rider's key: a link still on screen would be a dead one.
      if (!active) setShown((s) => (s?.riderId === r.id ? null : s));
    });
  const issue = (r) =>
    act(r.id, async () => {
      const { link } = await api.riders.signInLink({ storeId, riderId: r.id });
      setShown({ riderId: r.id, name: r.name, link });
      onRider({ ...r, canSignIn: true });
    });
  const carrying = (id) => deliveries.filter((d) => d.riderId === id).length;
  return html`<div class="roster">
    <h3>${t('roster')}</h3>
    ${shown ? html`<${LinkOnce} shown=${shown} onDone=${() => setShown(null)} />` : null}
    ${error ? html`<p class="problem" role="alert" data-testid="roster-error">${error}</p>` : null}
    ${
      riders.length === 0
        ? html`<p class="empty" data-testid="riders-empty">${t(manage ? 'noRiders' : 'noRidersYet')}</p>`
        : html`<div class="table-wrap"><table class="grid-table">
            <thead><tr>
              <th scope="col">${t('riderName')}</th><th scope="col">${t('riderPhone')}</th>
              <th scope="col">${t('riderState')}</th><th scope="col">${t('riderSignIn')}</th>
              <th scope="col" class="num">${t('riderLoad')}</th>${manage ? html`<th scope="col">${t('riderActions')}</th>` : null}
            </tr></thead>
            <tbody>${riders.map(
              (r) => html`<tr key=${r.id} data-testid="rider-row" data-rider=${r.id} data-active=${String(r.active)}>
                <th scope="row">${r.name}</th>
                <td>${r.phone}</td>
                <td><span class=${`state state-${r.active ? 'on' : 'off'}`} data-testid="rider-state">${r.active ? t('riderActive') : t('riderInactive')}</span></td>
                <td data-testid="rider-sign-in">${r.canSignIn ? t('canSignIn') : t('noLink')}</td>
                <td class="num" data-testid="rider-load">${carrying(r.id)}</td>
                ${
                  manage
                    ? html`<td class="actions">
                        ${
                          r.active
                            ? html`<button type="button" class="btn" disabled=${busy === r.id} onClick=${() => issue(r)} data-testid="rider-issue-link">
                                ${r.canSignIn ? t('reissueLink') : t('issueLink')}</button>
                              <button type="button" class="btn" disabled=${busy === r.id} onClick=${() => setActive(r, false)} data-testid="rider-deactivate">${t('deactivate')}</button>`
                            : html`<button type="button" class="btn" disabled=${busy === r.id} onClick=${() => setActive(r, true)} data-testid="rider-reactivate">${t('reactivate')}</button>`
                        }
                      </td>`
                    : null
                }
              </tr>`,
            )}</tbody>
          </table></div>`
    }
    ${manage ? html`<${AddRider} storeId=${storeId} onRider=${onRider} />` : null}
  </div>`;
}
