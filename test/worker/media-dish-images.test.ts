import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { STORE_JINGAN } from '../../schema/d1/seed';
import { createCategory, createItem, type Json, menuItems, publish } from '../support/fixtures';
import { call, tokenFor } from '../support/http';
import { fetchMedia, imageBytes, textFile, upload } from '../support/media';

let admin: string;
let manager: string;
let categoryId: string;
beforeAll(async () => {
  admin = await tokenFor('admin');
  manager = await tokenFor('staff', { subject: 'stf_media_mgr', storeId: STORE_JINGAN, staffRole: 'manager' });
  categoryId = (await createCategory(admin)).id;
});

const newDish = () => createItem(admin, { categoryId });
const putImage = (itemId: string, bytes: Uint8Array, contentType = 'image/png', token = manager) =>
  upload(`/v1/admin/items/${itemId}/image`, { token, bytes, contentType });
const keyOf = (url: string) => url.replace(/^\/media\//, '');
const stored = async (url: string) => (await env.MEDIA.head(keyOf(url))) !== null;
const objectCount = async () => (await env.MEDIA.list({ prefix: 'i/' })).objects.length;
const menuImage = async (itemId: string) => {
  const menu = await call(`/v1/stores/${STORE_JINGAN}/menu`);
  return menuItems(menu.json).find((i: Json) => i.id === itemId)?.imageUrl;
};

describe('a store manager gives a dish its picture', () => {
  it('uploads a PNG; the worker serves it for a year with an ETag, and a repeat visit is a 304', async () => {
    const dish = await newDish();
    const png = imageBytes('png');
    // The header says JPEG; the bytes say PNG, and the bytes decide.
    const res = await putImage(dish.id, png, 'image/jpeg');
    expect(res.status, res.text).toBe(200);
    expect(res.json.imageUrl).toMatch(/^\/media\/i\/[0-9a-f]{32}\.png$/);
    expect((await call(`/v1/admin/items/${dish.id}`, { token: admin })).json.imageUrl).toBe(res.json.imageUrl);

    const first = await fetchMedia(res.json.imageUrl);
    expect(first.status).toBe(200);
    expect(first.bytes).toEqual(png);
    expect(first.headers.get('content-type')).toBe('image/png');
    expect(first.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"/);

    const again = await fetchMedia(res.json.imageUrl, { 'If-None-Match': etag! });
    expect(again.status).toBe(304);
    expect(again.bytes.length).toBe(0);
    expect(again.headers.get('etag')).toBe(etag);
  });

  it('sends the picture as a form file from the browser; the same picture twice is one object', async () => {
    const [a, b] = [await newDish(), await newDish()];
    const jpg = imageBytes('jpg');
    const form = { filename: 'guotie.jpg', type: 'image/jpeg' };
    const one = await upload(`/v1/admin/items/${a.id}/image`, { token: admin, bytes: jpg, form });
    const two = await upload(`/v1/admin/items/${b.id}/image`, { token: admin, bytes: jpg, form });
    expect(one.status, one.text).toBe(200);
    expect(one.json.imageUrl).toMatch(/^\/media\/i\/[0-9a-f]{32}\.jpg$/);
    expect(two.json.imageUrl).toBe(one.json.imageUrl);
    expect((await fetchMedia(one.json.imageUrl)).headers.get('content-type')).toBe('image/jpeg');
  });

  it('the menu shows the picture after the next publish, and the item can be saved back unchanged', async () => {
    const dish = await newDish();
    const url = (await putImage(dish.id, imageBytes('webp'), 'image/webp')).json.imageUrl;
    expect(url).toMatch(/\.webp$/);
    await publish(admin, [STORE_JINGAN]);
    expect(await menuImage(dish.id)).toBe(url);
    const patched = await call(`/v1/admin/items/${dish.id}`, {
      method: 'PATCH',
      token: admin,
      body: { imageUrl: url },
    });
    expect(patched.status, patched.text).toBe(200);
  });

  it('a clerk may not change pictures, nor may a guest or a caller without a token', async () => {
    const dish = await newDish();
    const clerk = await tokenFor('staff', { subject: 'stf_media_clerk', storeId: STORE_JINGAN, staffRole: 'clerk' });
    expect((await putImage(dish.id, imageBytes('png'), 'image/png', clerk)).status).toBe(403);
    expect((await putImage(dish.id, imageBytes('png'), 'image/png', await tokenFor('member'))).status).toBe(403);
    expect((await upload(`/v1/admin/items/${dish.id}/image`, { bytes: imageBytes('png') })).status).toBe(401);
  });
});

describe('what is not a picture is refused, and nothing is stored', () => {
  it('a text file renamed .png: 422 naming the field image, raw or as a form file', async () => {
    const dish = await newDish();
    const before = await objectCount();
    const raw = await putImage(dish.id, textFile(), 'image/png');
    expect(raw.status).toBe(422);
    expect(raw.json).toMatchObject({ code: 'media.not_an_image', errors: [{ path: 'image' }] });
    const form = await upload(`/v1/admin/items/${dish.id}/image`, {
      token: manager,
      bytes: textFile(),
      form: { filename: 'menu.png', type: 'image/png' },
    });
    expect(form.status).toBe(422);
    expect(form.json.code).toBe('media.not_an_image');
    expect(await objectCount()).toBe(before);
    expect((await call(`/v1/admin/items/${dish.id}`, { token: admin })).json.imageUrl).toBeNull();
  });

  it('over 2 MB is 413, an empty body 422, JSON 415, a form without the image field 422', async () => {
    const dish = await newDish();
    const before = await objectCount();
    const big = await putImage(dish.id, imageBytes('png', 2 * 1024 * 1024 + 1));
    expect(big.status).toBe(413);
    expect(big.json).toMatchObject({ code: 'media.too_large', errors: [{ path: 'image' }] });
    const bigForm = await upload(`/v1/admin/items/${dish.id}/image`, {
      token: manager,
      bytes: imageBytes('jpg', 2 * 1024 * 1024 + 10),
      form: { filename: 'huge.jpg', type: 'image/jpeg' },
    });
    expect(bigForm.status).toBe(413);
    const empty = await putImage(dish.id, new Uint8Array());
    expect(empty.status).toBe(422);
    expect(empty.json).toMatchObject({ code: 'media.empty', errors: [{ path: 'image' }] });
    const json = await putImage(dish.id, new TextEncoder().encode('{"image":"x"}'), 'application/json');
    expect(json.status).toBe(415);
    expect(json.json).toMatchObject({ code: 'media.unsupported_type', errors: [{ path: 'image' }] });
    const wrongField = await upload(`/v1/admin/items/${dish.id}/image`, {
      token: manager,
      bytes: imageBytes('png'),
      form: { field: 'file', filename: 'a.png', type: 'image/png' },
    });
    expect(wrongField.status).toBe(422);
    expect(wrongField.json.errors).toEqual([{ path: 'image', message: expect.any(String) }]);
    expect(await objectCount()).toBe(before);
  });

  it('an unknown dish is 404 before the picture is stored', async () => {
    const before = await objectCount();
    const res = await putImage('itm_no_such_dish', imageBytes('png'));
    expect(res.status).toBe(404);
    expect(res.json.code).toBe('item.not_found');
    expect(await objectCount()).toBe(before);
  });

  it('an unknown or malformed media key is a 404 problem', async () => {
    for (const url of ['/media/i/0123456789abcdef0123456789abcdef.png', '/media/i/nope.png', '/media/x/a.gif']) {
      const res = await call(url);
      expect(res.status, url).toBe(404);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.json.code).toBe('media.not_found');
    }
  });
});

describe('a replaced picture is cleaned up once nothing shows it', () => {
  it('replacing an unpublished picture deletes the old object at once', async () => {
    const dish = await newDish();
    const old = (await putImage(dish.id, imageBytes('png'))).json.imageUrl;
    const next = (await putImage(dish.id, imageBytes('jpg'), 'image/jpeg')).json.imageUrl;
    expect(next).not.toBe(old);
    expect(await stored(old)).toBe(false);
    expect((await fetchMedia(old)).status).toBe(404);
    expect(await stored(next)).toBe(true);
  });

  it('a picture the published menu still shows stays until the next publish, then goes', async () => {
    const dish = await newDish();
    const old = (await putImage(dish.id, imageBytes('png'))).json.imageUrl;
    await publish(admin, [STORE_JINGAN]);
    const next = (await putImage(dish.id, imageBytes('png'))).json.imageUrl;
    // Guests still see the old menu: its picture must keep loading.
    expect(await menuImage(dish.id)).toBe(old);
    expect((await fetchMedia(old)).status).toBe(200);
    await publish(admin, [STORE_JINGAN]);
    expect(await menuImage(dish.id)).toBe(next);
    expect(await stored(old)).toBe(false);
  });

  it('a picture two dishes share stays while one of them keeps it', async () => {
    const [a, b] = [await newDish(), await newDish()];
    const shared = imageBytes('png');
    const url = (await putImage(a.id, shared)).json.imageUrl;
    await putImage(b.id, shared);
    await putImage(a.id, imageBytes('png'));
    expect(await stored(url)).toBe(true);
    const removed = await call(`/v1/admin/items/${b.id}/image`, { method: 'DELETE', token: manager });
    expect(removed.status).toBe(204);
    expect((await call(`/v1/admin/items/${b.id}`, { token: admin })).json.imageUrl).toBeNull();
    expect(await stored(url)).toBe(false);
  });

  it('deleting the dish, or pointing it at another URL, releases its picture', async () => {
    const [a, b] = [await newDish(), await newDish()];
    const first = (await putImage(a.id, imageBytes('png'))).json.imageUrl;
    const second = (await putImage(b.id, imageBytes('png'))).json.imageUrl;
    expect((await call(`/v1/admin/items/${a.id}`, { method: 'DELETE', token: admin })).status).toBe(204);
    expect(await stored(first)).toBe(false);
    const elsewhere = 'https://img.tiffin.dev/items/guotie.jpg';
    const patched = await call(`/v1/admin/items/${b.id}`, {
      method: 'PATCH',
      token: admin,
      body: { imageUrl: elsewhere },
    });
    expect(patched.json.imageUrl).toBe(elsewhere);
    expect(await stored(second)).toBe(false);
  });
});
