// The rounds a table has ordered, shared by everyone sitting at it, kept fresh by polling.
// The server already redacts: another diner's round arrives as dishes, status and amounts
// (labelled "Diner 2"), so a note or invoice shown here is always the reader's own.
// Other views import `TableRounds` (the menu, the order page) to show the table's tab.
import { html, useEffect, useState } from '/lib/ui.js';
import { api, errorCode, guestSession, onSessionChange } from '../api.js';
import { money, t, useLang } from '../i18n.js';
import { table, useSessionState } from '../state.js';
import { statusLabel, whoLabel } from './table-words.js';
import './table-styles.js';

const POLL_MS = 4000;
/** A seat ticket lasts 3 hours: a long meal gets a fresh one before the old one lapses. */
const RENEW_BEFORE_MS = 15 * 60_000;
const DONE = new Set(['cancelled', 'refunded']);

function Round({ round, n }) {
  const mine = round.addedBy.startsWith('member:');
  return html`
    <article
      class=${`table-round${mine ? ' mine' : ''}${DONE.has(round.status) ? ' done' : ''}`}
      data-testid="table-round"
      data-order-id=${round.id}
      data-mine=${String(mine)}
      data-status=${round.status}
    >
      <header class="table-round-head">
        <strong>${t('tbl.round', { n })}</strong>
        <span class="table-round-who">${whoLabel(round)}</span>
        <span class="table-round-status" data-status=${round.status}>${statusLabel(round.status)}</span>
      </header>
      <ul class="table-round-lines">
        ${round.lines.map(
          (l) => html`<li key=${l.index}>
            <span>${l.name}${l.specName ? `（${l.specName}）` : ''}${l.options.length ? html` <span class="muted">${l.options.map((o) => o.name).join('、')}</span>` : ''}</span>
            <span class="muted">×${l.quantity}</span>
          </li>`,
        )}
      </ul>
      ${mine && round.note ? html`<p class="muted table-round-own">${t('tbl.note', { note: round.note })}</p>` : ''}
      ${mine && round.invoice ? html`<p class="muted table-round-own">${t('tbl.invoice', { title: round.invoice.title })}</p>` : ''}
      <footer class="table-round-foot">
        <span class="muted">${round.ticketNo}</span>
        ${mine ? html`<a class="link" href=${`/orders/${round.id}`}>${money(round.total)} ›</a>` : html`<span>${money(round.total)}</span>`}
      </footer>
    </article>
  `;
}

/** Scans the table's code again for the guest still seated at its open session. */
async function renewTicket(qrToken) {
  try {
    const r = await api.stores.resolveTable({ qrToken });
    const seat = table.get();
    if (seat?.qrToken === qrToken)
      table.set({ ...seat, seatTicket: r.seatTicket.ticket, seatTicketExpiresAt: r.seatTicket.expiresAt });
  } catch {
    // The next poll notices a rotated code or a closed table.
  }
}

/**
 * The table's shared rounds for the table the guest sits at (`state.table`), or nothing when
 * they sit at none (or at a table of another store than `storeId`). Polls every few seconds
 * while the page is visible. Notices when the table's bill was settled and closed: the seat
 * is forgotten (its ticket died with the session), so the next meal starts from a new scan.
 */
export function TableRounds({ storeId } = {}) {
  useLang();
  useSessionState();
  const seat = table.get();
  const qrToken = seat && (!storeId || seat.storeId === storeId) ? seat.qrToken : null;
  const [signedIn, setSignedIn] = useState(() => Boolean(guestSession()?.token));
  const [view, setView] = useState(null);
  const [ended, setEnded] = useState(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => onSessionChange((s) => setSignedIn(Boolean(s?.token))), []);

  useEffect(() => {
    if (!qrToken || !signedIn) return;
    let stopped = false;
    let timer;
    setEnded(null);
    const end = (why) => {
      stopped = true;
      setView(null);
      setEnded(why);
      if (table.get()?.qrToken === qrToken) table.clear();
    };
    const load = async () => {
      if (stopped) return;
      if (document.visibilityState !== 'hidden') {
        const seen = table.get();
        try {
          const s = await api.sessions.forTable({ qrToken }, { retry: false });
          if (stopped) return;
          // A new session where ours was: the last party's bill was settled and the table opened again.
          if (seen?.sessionId && seen.sessionId !== s.id) return end('settled');
          if (seen && !seen.sessionId && seen.qrToken === qrToken) table.set({ ...seen, sessionId: s.id });
          if (seen?.seatTicketExpiresAt && Date.parse(seen.seatTicketExpiresAt) - Date.now() < RENEW_BEFORE_MS)
            await renewTicket(qrToken);
          setView(s);
          setFailed(false);
        } catch (e) {
          if (stopped) return;
          const code = errorCode(e);
          if (code === 'session.not_found') {
            if (seen?.sessionId) return end('settled');
            setView('none');
            setFailed(false);
          } else if (code === 'table.qr_unknown') {
            return end('rotated');
          } else {
            setFailed(true);
          }
        }
      }
      if (!stopped) timer = setTimeout(load, POLL_MS);
    };
    load();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [qrToken, signedIn]);

  if (ended === 'settled')
    return html`<section class="card table-ended" data-testid="table-settled" role="status">
      <strong>${t('tbl.settled')}</strong>
      <p class="muted">${t('tbl.settledHint')}</p>
    </section>`;
  if (ended === 'rotated')
    return html`<section class="card table-ended" role="alert"><strong>${t('tbl.unknown')}</strong>
      <p class="muted">${t('tbl.unknownHint')}</p></section>`;
  if (!qrToken) return null;
  if (!signedIn)
    return html`<section class="card table-rounds" data-testid="table-rounds">
      <a class="link" href=${`/sign-in?next=${encodeURIComponent(location.pathname)}`}>${t('tbl.signIn')}</a>
    </section>`;
  if (view === null)
    return html`<section class="card table-rounds" data-testid="table-rounds">
      ${failed ? html`<p class="error">${t('offline')}</p>` : html`<p class="muted">${t('loading')}</p>`}
    </section>`;
  if (view === 'none')
    return html`<section class="card table-rounds" data-testid="table-rounds">
      <h2 class="table-rounds-title">${t('tbl.rounds')}</h2>
      <p class="muted">${t('tbl.noRounds')}</p>
    </section>`;
  return html`
    <section class="card table-rounds" data-testid="table-rounds" data-session-id=${view.id}>
      <h2 class="table-rounds-title">${t('tbl.rounds')} <span class="muted">${t('tbl.refreshing')}</span></h2>
      ${view.rounds.length === 0 ? html`<p class="muted">${t('tbl.noRounds')}</p>` : ''}
      ${view.rounds.map((r, i) => html`<${Round} key=${r.id} round=${r} n=${i + 1} />`)}
      <footer class="table-total" data-testid="table-total" data-total=${view.total}>
        <span>${t('tbl.total')}</span>
        <strong class="price">${money(view.total)}</strong>
        ${view.unpaid > 0 ? html`<span class="muted">${t('tbl.unpaid', { amount: money(view.unpaid) })}</span>` : ''}
      </footer>
      ${failed ? html`<p class="muted" role="status">${t('offline')}</p>` : ''}
    </section>
  `;
}
