import { principalOf } from '../http/auth';
import { createRouter } from '../http/router';
import { scopedStoreContext } from '../stores/store-gateway';
import { brandInvoiceTax, setBrandInvoiceTax, taxSettingsView } from './invoice-settings.service';
import * as r from './invoices.routes';
import { myInvoice, myInvoices, requestInvoice, retryInvoice, storeInvoices } from './invoices.service';

/**
 * E-invoices: the member's routes, and the store's list and retry for its staff. Mounted
 * BEFORE the admin router, whose `/v1/admin/*` is for brand admins only.
 */
export const invoicesRouter = createRouter();

invoicesRouter
  .openapi(r.requestInvoiceRoute, async (c) => {
    const { invoice, created } = await requestInvoice(c.env, principalOf(c), c.req.valid('json'));
    return created ? c.json(invoice, 202) : c.json(invoice, 200);
  })
  .openapi(r.myInvoicesRoute, async (c) => c.json({ items: await myInvoices(c.env, principalOf(c)) }, 200))
  .openapi(r.myInvoiceRoute, async (c) =>
    c.json(await myInvoice(c.env, principalOf(c), c.req.valid('param').invoiceId), 200),
  )
  .openapi(r.getInvoiceTaxRoute, async (c) =>
    c.json(taxSettingsView(await brandInvoiceTax(c.env, principalOf(c).brandId)), 200),
  )
  .openapi(r.putInvoiceTaxRoute, async (c) =>
    c.json(await setBrandInvoiceTax(c.env, principalOf(c).brandId, c.req.valid('json')), 200),
  )
  .openapi(r.storeInvoicesRoute, async (c) => {
    const { storeId } = c.req.valid('param');
    await scopedStoreContext(c.env, principalOf(c), storeId);
    return c.json({ items: await storeInvoices(c.env, storeId, c.req.valid('query')) }, 200);
  })
  .openapi(r.retryInvoiceRoute, async (c) =>
    c.json(await retryInvoice(c.env, principalOf(c), c.req.valid('param').invoiceId), 200),
  );
