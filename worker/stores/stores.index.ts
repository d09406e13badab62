import { isoInZone } from '../../domain/zoned-time';
import { assertStoreScope } from '../http/auth';
import { createRouter } from '../http/router';
import { issueSeatTicket } from '../sessions/seat-ticket';
import { getStoreRoute, listStoresRoute, resolveTableRoute } from './stores.routes';
import { findStore, listStores, resolveTableQr, storeView } from './stores.service';
import { tableView } from './tables.service';

export const storesRouter = createRouter()
  .openapi(listStoresRoute, async (c) => {
    const q = c.req.valid('query');
    const principal = c.get('principal');
    const brandId = principal?.brandId ?? q.brandId ?? c.env.DEFAULT_BRAND_ID;
    const from = q.lat !== undefined && q.lng !== undefined ? { lat: q.lat, lng: q.lng } : undefined;
    return c.json({ items: await listStores(c.env, brandId, from) }, 200);
  })
  .openapi(getStoreRoute, async (c) => {
    const store = await findStore(c.env, c.req.valid('param').storeId);
    assertStoreScope(c.get('principal'), store);
    return c.json(storeView(store, Date.now()), 200);
  })
  .openapi(resolveTableRoute, async (c) => {
    const { store, table } = await resolveTableQr(c.env, c.req.valid('param').qrToken);
    const p = c.get('principal');
    // Scanning is what seats a guest: the ticket is theirs, so no shared cache keeps it.
    const seat = await issueSeatTicket(c.env, table, p?.role === 'member' ? p.subject : null);
    c.header('Cache-Control', 'private, no-store');
    return c.json(
      {
        store: storeView(store, Date.now()),
        table: tableView(c.env, table),
        seatTicket: { ticket: seat.ticket, expiresAt: isoInZone(seat.expiresAt, store.timeZone) },
      },
      200,
    );
  });
