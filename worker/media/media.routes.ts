import { createRoute, z } from '@hono/zod-openapi';
import { Item } from '../../schema/api/catalog.schemas';
import { ImageUploadBody, MediaPathParams, PhotoUploaded } from '../../schema/api/media.schemas';
import { byPrincipal, limitBy } from '../http/rate-limit';
import { bearer, errorResponses, idParam, jsonOk, writeErrors } from '../http/router';

const itemParams = z.object({ itemId: idParam('itemId', 'itm_potstickers') });
const refused =
  'Nothing is stored when the image is refused: not JPEG, PNG or WebP by its bytes (whatever the Content-Type ' +
  'or file name says) → 422 `media.not_an_image`; empty → 422 `media.empty`; over 2 MB → 413 `media.too_large`; ' +
  'a body that is neither an image type, application/octet-stream nor multipart/form-data → 415 ' +
  '`media.unsupported_type`. Each names the field `image`.';

export const putItemImageRoute = createRoute({
  method: 'put',
  path: '/v1/admin/items/{itemId}/image',
  operationId: 'admin.putItemImage',
  tags: ['Admin: catalog'],
  security: bearer,
  summary: "Upload a dish's image (brand admins and store managers)",
  description:
    'Stored once per content (`/media/i/<hash>.<ext>`) and set as the item’s `imageUrl`; guests see it after the ' +
    'next `POST /v1/admin/menu/publish`. The image it replaces is deleted when no item and no published menu ' +
    `shows it any more. An unknown item is 404 \`item.not_found\`, checked before the body is read. ${refused}`,
  request: { params: itemParams, body: ImageUploadBody },
  responses: { 200: jsonOk(Item, 'The item with its new imageUrl'), ...writeErrors },
});

export const deleteItemImageRoute = createRoute({
  method: 'delete',
  path: '/v1/admin/items/{itemId}/image',
  operationId: 'admin.deleteItemImage',
  tags: ['Admin: catalog'],
  security: bearer,
  summary: "Take a dish's image off (the stored picture is deleted once nothing shows it)",
  request: { params: itemParams },
  responses: { 204: { description: 'Removed' }, ...writeErrors },
});

export const uploadPhotoRoute = createRoute({
  method: 'post',
  path: '/v1/members/me/photos',
  operationId: 'members.uploadPhoto',
  tags: ['Members'],
  security: bearer,
  summary: 'Upload a photo for a review; answers the URL the review names',
  description:
    'The URL is `/media/r/<32 hex>.<jpg|png|webp>`; the same photo twice gives the same URL. Limited per member ' +
    `(429 \`rate.limited\`) and to 30 photos in any 24 hours (429 \`media.photo_quota\`, Retry-After). ${refused}`,
  middleware: limitBy('member', 'photo', byPrincipal),
  request: { body: ImageUploadBody },
  responses: { 201: jsonOk(PhotoUploaded, 'Stored'), ...writeErrors, ...errorResponses(429) },
});

export const getMediaRoute = createRoute({
  method: 'get',
  path: '/media/{kind}/{file}',
  operationId: 'media.get',
  'x-auth': 'none',
  tags: ['Media'],
  security: [],
  summary: 'A stored dish image or review photo',
  description:
    'Served with `Cache-Control: public, max-age=31536000, immutable` (a key names its content) and an ETag; ' +
    '`If-None-Match` answers 304. An unknown or malformed key is 404 `media.not_found`. Resizing is left to ' +
    'Cloudflare Image Transformations where deployed (`/cdn-cgi/image/width=…/media/…`).',
  request: { params: MediaPathParams },
  responses: {
    200: {
      content: {
        'image/jpeg': { schema: z.string().openapi({ format: 'binary' }) },
        'image/png': { schema: z.string().openapi({ format: 'binary' }) },
        'image/webp': { schema: z.string().openapi({ format: 'binary' }) },
      },
      description: 'The image',
    },
    304: { description: 'Not modified (If-None-Match matched the ETag)' },
    ...errorResponses(404),
  },
});
