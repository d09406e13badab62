import { exports } from 'cloudflare:workers';

/** Image bytes that differ per call (so each test owns its content hash): a PNG, JPEG or WebP head. */
export function imageBytes(kind: 'png' | 'jpg' | 'webp', size = 256): Uint8Array {
  const bytes = new Uint8Array(size);
  crypto.getRandomValues(bytes.subarray(0, Math.min(size, 65_536)));
  const head =
    kind === 'png'
      ? [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, ...'IHDR'.split('').map((c) => c.charCodeAt(0))]
      : kind === 'jpg'
        ? [0xff, 0xd8, 0xff, 0xe0]
        : [
            ...'RIFF'.split('').map((c) => c.charCodeAt(0)),
            0,
            0,
            0,
            0,
            ...'WEBPVP8 '.split('').map((c) => c.charCodeAt(0)),
          ];
  bytes.set(head);
  return bytes;
}

/** A plain text file, as a phone would send one renamed `menu.png`. */
export const textFile = (text = 'this is not a picture, just a note someone renamed to .png\n') =>
  new TextEncoder().encode(text);

/** Sends bytes as the raw body (or as the `image` file of a form) to the worker. */
export async function upload(
  path: string,
  opts: {
    token?: string;
    bytes: Uint8Array;
    contentType?: string;
    method?: string;
    form?: { field?: string; filename: string; type: string };
  },
) {
  const headers = new Headers();
  if (opts.token) headers.set('Authorization', `Bearer ${opts.token}`);
  let body: BodyInit;
  if (opts.form) {
    const form = new FormData();
    form.set(opts.form.field ?? 'image', new File([opts.bytes], opts.form.filename, { type: opts.form.type }));
    body = form;
  } else {
    body = opts.bytes;
    if (opts.contentType) headers.set('Content-Type', opts.contentType);
  }
  const res = await exports.default.fetch(
    new Request(`http://tiffin.test${path}`, { method: opts.method ?? 'PUT', headers, body }),
  );
  const text = await res.text();
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are untyped JSON in tests
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {}
  return { status: res.status, headers: res.headers, json, text };
}

/** GETs a media URL, answering the bytes. */
export async function fetchMedia(url: string, headers: Record<string, string> = {}) {
  const res = await exports.default.fetch(new Request(`http://tiffin.test${url}`, { headers }));
  return { status: res.status, headers: res.headers, bytes: new Uint8Array(await res.arrayBuffer()) };
}
