/*
 * Pictures: what an uploaded image is, judged by its first bytes (a header or a file name
 * says nothing), and where it lives. Keys are content hashes, so the same picture is
 * stored once and its URL can be cached forever.
 */

/** The largest image accepted, dish or review photo. */
export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;

export type ImageExt = 'jpg' | 'png' | 'webp';
export interface ImageType {
  ext: ImageExt;
  contentType: `image/${'jpeg' | 'png' | 'webp'}`;
}

/** What the picture is for: `i` dish images (catalog), `r` review photos (members). */
export type MediaKind = 'i' | 'r';

const CONTENT_TYPES: Record<ImageExt, ImageType['contentType']> = {
  jpg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
};

const startsWith = (bytes: Uint8Array, at: number, sig: number[]) =>
  bytes.length >= at + sig.length && sig.every((b, i) => bytes[at + i] === b);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/**
 * The image type by magic bytes: JPEG (`FF D8 FF`), PNG (its 8-byte signature followed by
 * the IHDR chunk) or WebP (`RIFF....WEBP` with a VP8 chunk); anything else is `null`.
 */
export function sniffImage(bytes: Uint8Array): ImageType | null {
  let ext: ImageExt | null = null;
  if (startsWith(bytes, 0, [0xff, 0xd8, 0xff])) ext = 'jpg';
  else if (
    startsWith(bytes, 0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) &&
    startsWith(bytes, 12, ascii('IHDR'))
  )
    ext = 'png';
  else if (startsWith(bytes, 0, ascii('RIFF')) && startsWith(bytes, 8, ascii('WEBPVP8'))) ext = 'webp';
  return ext ? { ext, contentType: CONTENT_TYPES[ext] } : null;
}

/** The content type a stored key serves with (from its extension). */
export function contentTypeOfKey(key: string): ImageType['contentType'] | null {
  const ext = key.slice(key.lastIndexOf('.') + 1) as ImageExt;
  return CONTENT_TYPES[ext] ?? null;
}

/** A stored object's key: kind, 32 lowercase hex digits of the content's SHA-256, extension. */
export const MEDIA_KEY = /^[ir]\/[0-9a-f]{32}\.(jpg|png|webp)$/;

export const mediaKey = (kind: MediaKind, hash: string, ext: ImageExt) => `${kind}/${hash.slice(0, 32)}.${ext}`;

/** The URL the worker serves a key at (relative: the page and the API share an origin). */
export const mediaUrl = (key: string) => `/media/${key}`;

/** The key behind a URL this worker serves, of the given kind; `null` for any other URL. */
export function keyOfUrl(url: string | null | undefined, kind: MediaKind): string | null {
  if (!url?.startsWith('/media/')) return null;
  const key = url.slice('/media/'.length);
  return MEDIA_KEY.test(key) && key.startsWith(`${kind}/`) ? key : null;
}
