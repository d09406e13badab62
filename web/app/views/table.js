// `/t/{qrToken}`: the page a table's printed QR code opens. Scanning seats the guest: the
// table and its seat ticket are kept in `state.table`, so the menu and checkout place a
// dine-in round to this table (with `tableId` and `seatTicket`) that joins the table's one
// session, whoever at the table orders it. Browsing needs no sign-in; placing does.
import { html, useEffect, useState } from '/lib/ui.js';
import { api, errorCode, guestSession, onSessionChange } from '../api.js';
import { t, useLang } from '../i18n.js';
import { navigate } from '../router.js';
import { table, useSessionState } from '../state.js';
import { TableRounds } from './table-rounds.js';
import './table-styles.js';
import { tableLabel } from './table-words.js';

/** Seats the guest at the table the code names; answers what the page shows. */
async function sit(qrToken) {
  try {
    const r = await api.stores.resolveTable({ qrToken });
    const before = table.get();
    table.set({
      storeId: r.store.id,
      storeName: r.store.name,
      tableId: r.table.id,
      tableName: r.table.name,
      area: r.table.area,
      qrToken,
      seatTicket: r.seatTicket.ticket,
      seatTicketExpiresAt: r.seatTicket.expiresAt,
      // Scanning the same table again keeps the session it already saw, so a settled bill is noticed.
      ...(before?.qrToken === qrToken && before.sessionId ? { sessionId: before.sessionId } : {}),
    });
    return { phase: 'seated', store: r.store, table: r.table };
  } catch (e) {
    if (errorCode(e) === 'table.qr_unknown') {
      // A rotated code: whatever this page seated before is no longer a seat.
      if (table.get()?.qrToken === qrToken) table.clear();
      return { phase: 'unknown' };
    }
    return { phase: 'failed' };
  }
}

export default function TableView({ params }) {
  useLang();
  useSessionState();
  const { qrToken } = params;
  const [page, setPage] = useState({ phase: 'loading' });
  const [tries, setTries] = useState(0);

  useEffect(() => {
    let live = true;
    sit(qrToken).then((p) => live && setPage(p));
    // A ticket names who scanned: signing in (or switching) as someone else scans again.
    const off = onSessionChange(() => sit(qrToken).then((p) => live && setPage(p)));
    return () => {
      live = false;
      off();
    };
  }, [qrToken, tries]);

  if (page.phase === 'loading') return html`<p class="boot" role="status">${t('loading')}</p>`;
  if (page.phase === 'failed')
    return html`<p class="error" role="alert">${t('offline')}
      <button class="link" onClick=${() => setTries((n) => n + 1)}>${t('retry')}</button></p>`;
  if (page.phase === 'unknown')
    return html`<section class="card table-unknown" data-testid="table-unknown" role="alert">
      <h1 class="table-unknown-title">${t('tbl.unknown')}</h1>
      <p class="muted">${t('tbl.unknownHint')}</p>
      <a class="btn secondary" href="/">${t('tbl.home')}</a>
    </section>`;

  const seated = table.get()?.qrToken === qrToken;
  const leave = () => {
    table.clear();
    navigate('/', { replace: true });
  };
  return html`
    <section class=${`card table-banner${seated ? '' : ' left'}`} data-testid="table-banner" data-table-id=${page.table.id}>
      <p class="muted table-store">${page.store.name}</p>
      <h1 class="table-name">${tableLabel(page.table.name, page.table.area)}</h1>
      ${
        seated
          ? html`<p class="muted">${t('tbl.seated')}</p>
            <div class="table-actions">
              <a class="btn" data-testid="table-menu" href=${`/s/${page.store.id}`}>${t('tbl.order')}</a>
              <button class="btn secondary" data-testid="leave-table" onClick=${leave}>${t('tbl.leave')}</button>
            </div>
            ${guestSession()?.token ? '' : html`<p class="muted table-hint">${t('tbl.browseHint')}</p>`}`
          : html`<p class="muted">${t('tbl.left')}</p>
            <button class="btn secondary" data-testid="rejoin-table" onClick=${() => setTries((n) => n + 1)}>${t('tbl.rejoin')}</button>`
      }
    </section>
    <${TableRounds} storeId=${page.store.id} />
  `;
}
