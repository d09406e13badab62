import { assertStoreScope } from '../http/auth';
import { createRouter } from '../http/router';
import { getMenuRoute } from './menu.routes';
import { readMenu } from './menu.service';

/** True when an If-None-Match header lists this ETag (or `*`), weak or strong. */
function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((t) => {
    const v = t.trim();
    return v === '*' || v === etag || v === `W/${etag}`;
  });
}

export const menuRouter = createRouter().openapi(getMenuRoute, async (c) => {
  const { storeId } = c.req.valid('param');
  const menu = await readMenu(c.env, storeId);
  assertStoreScope(c.get('principal'), { id: storeId, brandId: menu.brandId });
  const headers = { ETag: menu.etag, 'Cache-Control': `public, max-age=${menu.maxAge}` };
  if (etagMatches(c.req.header('if-none-match'), menu.etag)) {
    return c.body(null, 304, headers);
  }
  // Plain JSON: the platform compresses it for clients that ask. The worker never sees the
  // client's own Accept-Encoding (Cloudflare, and wrangler dev after it, rewrite it to
  // "br, gzip"), so a body gzipped here reached curl and `Accept-Encoding: identity` as gzip bytes.
  const type = { ...headers, 'Content-Type': 'application/json; charset=utf-8', Vary: 'Accept-Encoding' };
  return c.body(menu.body, 200, type) as never;
});
