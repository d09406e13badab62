import { z } from '@hono/zod-openapi';
import { MAX_IMAGE_BYTES } from '../../domain/media/images';

/** A dish image: any absolute URL, or one this worker serves after an upload (`/media/i/…`). */
export const ImageUrl = z.union([
  z.url().max(500),
  z
    .string()
    .regex(/^\/media\/i\/[0-9a-f]{32}\.(jpg|png|webp)$/)
    .openapi({ description: 'An uploaded dish image (PUT /v1/admin/items/{itemId}/image)' }),
]);

const description =
  `The image itself: JPEG, PNG or WebP (judged by its bytes, not the Content-Type), at most ${MAX_IMAGE_BYTES} bytes. ` +
  'Send it as the raw body with its image/* type, or as multipart/form-data in the field `image`.';

/** The upload body, as the document shows it (the handler reads the bytes itself). */
export const ImageUploadBody = {
  content: {
    'image/jpeg': { schema: z.string().openapi({ format: 'binary' }) },
    'image/png': { schema: z.string().openapi({ format: 'binary' }) },
    'image/webp': { schema: z.string().openapi({ format: 'binary' }) },
    'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) },
    // A plain schema, not zod: a zod one would make the router parse the form before the size check.
    'multipart/form-data': {
      schema: {
        type: 'object' as const,
        properties: { image: { type: 'string' as const, format: 'binary' } },
        required: ['image'],
      },
    },
  },
  description,
  // Not `required`: no validator may read the bytes before the handler streams them with a limit.
  required: false,
};

export const PhotoUploaded = z
  .object({
    url: z
      .string()
      .regex(/^\/media\/r\/[0-9a-f]{32}\.(jpg|png|webp)$/)
      .openapi({ example: '/media/r/0f343b0931126a20f133d67c2b018a3b.jpg' }),
    contentType: z.enum(['image/jpeg', 'image/png', 'image/webp']),
    bytes: z.number().int().min(1).max(MAX_IMAGE_BYTES),
  })
  .openapi('PhotoUploaded');

/** `/media/{kind}/{file}`: loose on purpose, so a malformed key is the same 404 as an unknown one. */
export const MediaPathParams = z.object({
  kind: z
    .string()
    .openapi({ param: { name: 'kind', in: 'path' }, example: 'i', description: '`i` dish images, `r` review photos' }),
  file: z.string().openapi({ param: { name: 'file', in: 'path' }, example: '0f343b0931126a20f133d67c2b018a3b.jpg' }),
});
