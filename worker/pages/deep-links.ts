import type { Hono } from 'hono';
import type { AppEnv } from '../http/app-env';

/**
 * The guest app's share links (`/t/{qrToken}` table, `/r/{code}` referral, `/g/...` group
 * buy, `/b/...` bargain, `/w/...` lucky wheel) are paths no static file matches: they answer the app's page, which
 * reads its own address and opens the right view. Printed QR codes and shared links keep
 * working whatever the app's files are called. `/sign-in` is where WeChat web authorization
 * comes back to (`?code=&state=`); a store's menu and checkout (`/s/...`), an order
 * (`/orders/...`, and `/o/...`, the short link printed on receipts) and the guest's own pages
 * answer it too, so a reload or a payment's return lands on the page.
 */
export const GUEST_APP_LINKS = [
  '/t/*',
  '/r/*',
  '/g/*',
  '/b/*',
  '/w/*',
  '/s/*',
  '/orders/*',
  '/o/*',
  '/sign-in',
  '/me',
  '/me/*',
] as const;

export function serveGuestAppLinks(app: Hono<AppEnv>) {
  for (const path of GUEST_APP_LINKS) {
    app.get(path, async (c) => {
      const page = await c.env.ASSETS.fetch(new URL('/', c.req.url));
      const res = new Response(page.body, page);
      // The link carries a token (a table's QR, a referral code): never cached by a shared cache.
      res.headers.set('Cache-Control', 'private, no-cache');
      res.headers.set('Referrer-Policy', 'no-referrer');
      return res;
    });
  }
}
