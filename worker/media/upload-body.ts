import { type ImageType, MAX_IMAGE_BYTES, sniffImage } from '../../domain/media/images';
import { ApiError } from '../http/errors';

/** The field a multipart upload carries the image in, and the name errors give it. */
export const IMAGE_FIELD = 'image';
/** What a multipart envelope may add around the image (boundaries, part headers). */
const MULTIPART_SLACK = 64 * 1024;

const UPLOAD_PATHS = [/^\/v1\/admin\/items\/[^/]+\/image$/, /^\/v1\/members\/me\/photos$/];

/** Upload routes read their own body with the image limit, instead of the app's 256 KB one. */
export const isImageUpload = (path: string) => UPLOAD_PATHS.some((r) => r.test(path));

const tooLarge = () =>
  new ApiError(413, 'media.too_large', `An image may be at most ${MAX_IMAGE_BYTES} bytes (2 MB).`, {
    errors: [{ path: IMAGE_FIELD, message: `larger than ${MAX_IMAGE_BYTES} bytes` }],
  });

/** Reads the body as it streams in and stops at `limit`: an oversized upload is never held whole. */
async function readLimited(req: Request, limit: number): Promise<Uint8Array> {
  const declared = Number(req.headers.get('Content-Length') ?? Number.NaN);
  if (declared > limit) throw tooLarge();
  if (!req.body) return new Uint8Array();
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

async function fromMultipart(bytes: Uint8Array, contentType: string): Promise<Uint8Array> {
  let form: FormData;
  try {
    form = await new Response(bytes, { headers: { 'Content-Type': contentType } }).formData();
  } catch {
    throw new ApiError(400, 'request.malformed_form', 'The multipart body could not be read.');
  }
  const part = form.get(IMAGE_FIELD);
  if (part === null || typeof part === 'string') {
    throw new ApiError(422, 'validation.failed', `Send the image as a file in the form field \`${IMAGE_FIELD}\`.`, {
      errors: [{ path: IMAGE_FIELD, message: 'missing, or not a file' }],
    });
  }
  if (part.size > MAX_IMAGE_BYTES) throw tooLarge();
  return new Uint8Array(await part.arrayBuffer());
}

/**
 * The uploaded image: the raw body (any `image/*` type or `application/octet-stream`) or
 * the `image` file of a multipart form. Whatever the headers claim, the bytes decide: not
 * JPEG, PNG or WebP is 422 `media.not_an_image`, empty is 422 `media.empty`, over 2 MB is
 * 413 `media.too_large`, another body type is 415 `media.unsupported_type`.
 */
export async function readImageUpload(req: Request): Promise<{ bytes: Uint8Array; type: ImageType }> {
  const contentType = req.headers.get('Content-Type') ?? '';
  const base = contentType.split(';')[0]!.trim().toLowerCase();
  const multipart = base === 'multipart/form-data';
  if (!multipart && !base.startsWith('image/') && base !== 'application/octet-stream') {
    throw new ApiError(
      415,
      'media.unsupported_type',
      'Send the image as the raw body (image/jpeg, image/png or image/webp) or as multipart/form-data.',
      { errors: [{ path: IMAGE_FIELD, message: `body of type ${base || '(none)'}` }] },
    );
  }
  const raw = await readLimited(req, multipart ? MAX_IMAGE_BYTES + MULTIPART_SLACK : MAX_IMAGE_BYTES);
  const bytes = multipart ? await fromMultipart(raw, contentType) : raw;
  if (bytes.byteLength === 0) {
    throw new ApiError(422, 'media.empty', 'The image is empty.', {
      errors: [{ path: IMAGE_FIELD, message: 'empty' }],
    });
  }
  const type = sniffImage(bytes);
  if (!type) {
    throw new ApiError(422, 'media.not_an_image', 'Only JPEG, PNG and WebP images are accepted (judged by content).', {
      errors: [{ path: IMAGE_FIELD, message: 'not a JPEG, PNG or WebP image' }],
    });
  }
  return { bytes, type };
}
