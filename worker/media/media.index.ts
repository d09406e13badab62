import { MEDIA_KEY } from '../../domain/media/images';
import { principalOf, requireRole } from '../http/auth';
import { notFound } from '../http/errors';
import { managersOnly } from '../http/managers-only';
import { createRouter } from '../http/router';
import { assertItem, removeItemImage, setItemImage } from './item-images.service';
import * as r from './media.routes';
import { IMMUTABLE } from './media-store';
import { uploadMemberPhoto } from './photos.service';
import { readImageUpload } from './upload-body';

/**
 * Pictures. Mounted BEFORE the admin router: store managers upload dish images too, so
 * this router authorizes by itself (the catalog is the brand's: a manager's token names it).
 */
export const mediaRouter = createRouter();

mediaRouter.use('/v1/admin/items/:itemId/image', requireRole('admin', 'staff'), managersOnly('Dish images'));
mediaRouter.use('/v1/members/me/photos', requireRole('member'));

mediaRouter
  .openapi(r.putItemImageRoute, async (c) => {
    const { brandId } = principalOf(c);
    const { itemId } = c.req.valid('param');
    await assertItem(c.env, brandId, itemId);
    const image = await readImageUpload(c.req.raw);
    return c.json(await setItemImage(c.env, brandId, itemId, image), 200);
  })
  .openapi(r.deleteItemImageRoute, async (c) => {
    await removeItemImage(c.env, principalOf(c).brandId, c.req.valid('param').itemId);
    return c.body(null, 204);
  })
  .openapi(r.uploadPhotoRoute, async (c) => {
    const p = principalOf(c);
    const image = await readImageUpload(c.req.raw);
    return c.json(await uploadMemberPhoto(c.env, { id: p.subject, brandId: p.brandId }, image), 201);
  })
  .openapi(r.getMediaRoute, async (c) => {
    const { kind, file } = c.req.valid('param');
    const key = `${kind}/${file}`;
    if (!MEDIA_KEY.test(key)) throw notFound('media', key);
    // R2 evaluates If-None-Match against the object's ETag: a match comes back without a body.
    const object = await c.env.MEDIA.get(key, { onlyIf: c.req.raw.headers });
    if (!object) throw notFound('media', key);
    const headers = new Headers({
      ETag: object.httpEtag,
      'Cache-Control': IMMUTABLE,
      'X-Content-Type-Options': 'nosniff',
    });
    if (!('body' in object)) return new Response(null, { status: 304, headers }) as never;
    object.writeHttpMetadata(headers);
    headers.set('Cache-Control', IMMUTABLE);
    headers.set('Content-Length', String(object.size));
    return new Response(object.body, { status: 200, headers }) as never;
  });
