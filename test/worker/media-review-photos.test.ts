import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { PHOTOS_PER_DAY } from '../../worker/media/photos.service';
import { roomInWindow } from '../support/clock-windows';
import { newMember } from '../support/factories';
import { tokenFor } from '../support/http';
import { fetchMedia, imageBytes, textFile, upload } from '../support/media';

const postPhoto = (token: string | undefined, bytes: Uint8Array, contentType = 'image/jpeg') =>
  upload('/v1/members/me/photos', { method: 'POST', token, bytes, contentType });

describe('a guest adds photos to a review', () => {
  it('uploads a photo and gets the URL the review names; the worker serves it', async () => {
    const { token } = await newMember();
    const jpg = imageBytes('jpg');
    const res = await postPhoto(token, jpg);
    expect(res.status, res.text).toBe(201);
    expect(res.json).toEqual({
      url: expect.stringMatching(/^\/media\/r\/[0-9a-f]{32}\.jpg$/),
      contentType: 'image/jpeg',
      bytes: jpg.length,
    });
    const served = await fetchMedia(res.json.url);
    expect(served.status).toBe(200);
    expect(served.bytes).toEqual(jpg);
    expect(served.headers.get('content-type')).toBe('image/jpeg');

    // The same photo again (a retried upload) is the same URL.
    expect((await postPhoto(token, jpg)).json.url).toBe(res.json.url);
    const png = await upload('/v1/members/me/photos', {
      method: 'POST',
      token,
      bytes: imageBytes('png'),
      form: { filename: 'IMG_0001.png', type: 'image/png' },
    });
    expect(png.status).toBe(201);
    expect(png.json.url).toMatch(/^\/media\/r\/[0-9a-f]{32}\.png$/);
  });

  it('a text file named .jpg is 422 and stores nothing; only members may upload', async () => {
    const { token } = await newMember();
    const before = (await env.MEDIA.list({ prefix: 'r/' })).objects.length;
    const res = await postPhoto(token, textFile(), 'image/jpeg');
    expect(res.status).toBe(422);
    expect(res.json).toMatchObject({ code: 'media.not_an_image', errors: [{ path: 'image' }] });
    expect((await env.MEDIA.list({ prefix: 'r/' })).objects.length).toBe(before);
    expect((await postPhoto(undefined, imageBytes('jpg'))).status).toBe(401);
    expect((await postPhoto(await tokenFor('admin'), imageBytes('jpg'))).status).toBe(403);
  });

  it(`after ${PHOTOS_PER_DAY} photos in a day the next is 429 media.photo_quota with the wait`, async () => {
    const { token, memberId } = await newMember();
    const now = Date.now();
    await env.DB.batch(
      Array.from({ length: PHOTOS_PER_DAY }, (_, i) =>
        env.DB.prepare('INSERT INTO member_photos (member_id, key, brand_id, created_at) VALUES (?, ?, ?, ?)').bind(
          memberId,
          `r/${String(i).padStart(32, '0')}.jpg`,
          'brd_demo',
          now - 60 * 60_000 + i,
        ),
      ),
    );
    const res = await postPhoto(token, imageBytes('jpg'));
    expect(res.status).toBe(429);
    expect(res.json.code).toBe('media.photo_quota');
    const wait = Number(res.headers.get('retry-after'));
    expect(wait).toBeGreaterThan(22 * 3600);
    expect(wait).toBeLessThanOrEqual(23 * 3600);
  });

  it('rapid uploads from one member meet the member limit (429 rate.limited)', async () => {
    const { token } = await newMember();
    const answers = [];
    await roomInWindow();
    for (let i = 0; i < 31; i++) answers.push((await postPhoto(token, imageBytes('webp', 64), 'image/webp')).status);
    expect(answers.slice(0, 30).every((s) => s === 201)).toBe(true);
    expect(answers[30]).toBe(429);
  });
});
