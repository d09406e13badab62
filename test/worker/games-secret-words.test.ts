import { describe, expect, it } from 'vitest';
import { openStore, potstickers, wechatMember } from '../support/factories';
import { createCategory, createItem } from '../support/fixtures';
import { call, tokenFor } from '../support/http';

const hourAgo = () => new Date(Date.now() - 3_600_000).toISOString();

async function secretWord(admin: string, body: Record<string, unknown>) {
  const res = await call('/v1/admin/secret-words', {
    method: 'POST',
    token: admin,
    body: { itemId: 'itm_potstickers', startsAt: hourAgo(), ...body },
  });
  expect(res.status, res.text).toBe(201);
  return res.json as { id: string; word: string; templateId: string };
}

const redeem = (storeId: string, token: string, body: Record<string, unknown>) =>
  call(`/v1/stores/${storeId}/secret-words/redeem`, { method: 'POST', token, body });

describe('secret words (暗号)', () => {
  it('a guest who says the word gets the hidden dish once; the coupon makes it free', async () => {
    const store = await openStore();
    const word = `芝麻开门${crypto.randomUUID().slice(0, 6)}`;
    const w = await secretWord(store.admin, { word, storeIds: [store.storeId] });
    const guest = await wechatMember();

    // Said the way staff typed it: spaces and full-width letters do not matter.
    const both = await Promise.all([
      redeem(store.storeId, store.staff, { word: ` ${word} `, memberId: guest.memberId }),
      redeem(store.storeId, store.staff, { word, memberId: guest.memberId }),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
    const ok = both.find((r) => r.status === 201)!;
    expect(ok.json).toMatchObject({ wordId: w.id, memberId: guest.memberId, itemId: 'itm_potstickers' });
    expect(both.find((r) => r.status === 409)!.json.code).toBe('secret_word.already_redeemed');

    const quote = await call(`/v1/stores/${store.storeId}/quote`, {
      method: 'POST',
      token: guest.token,
      body: { mode: 'pickup', lines: [potstickers()], couponIds: [ok.json.couponId] },
    });
    expect(quote.status, quote.text).toBe(200);
    expect(quote.json.lines[0]).toMatchObject({ subtotal: 1600, discount: 1600, total: 0 });
    expect(quote.json.appliedCouponIds).toEqual([ok.json.couponId]);

    const listed = await call('/v1/admin/secret-words', { token: store.admin });
    expect(listed.json.words.find((x: { id: string }) => x.id === w.id)).toMatchObject({ redemptions: 1 });
    expect(
      (
        await call('/v1/admin/secret-words', {
          method: 'POST',
          token: store.admin,
          body: { word, itemId: 'itm_potstickers', startsAt: hourAgo() },
        })
      ).json.code,
    ).toBe('secret_word.taken');
  });

  it('a wrong word is refused without naming any word; a closed word is as wrong', async () => {
    const store = await openStore();
    const word = `open-${crypto.randomUUID().slice(0, 6)}`;
    const w = await secretWord(store.admin, { word });
    const guest = await wechatMember();
    const wrong = await redeem(store.storeId, store.staff, { word: 'open sesame?', memberId: guest.memberId });
    expect([wrong.status, wrong.json.code]).toEqual([422, 'secret_word.wrong']);
    expect(wrong.text).not.toContain(word);

    await call(`/v1/admin/secret-words/${w.id}`, { method: 'PATCH', token: store.admin, body: { active: false } });
    const closed = await redeem(store.storeId, store.staff, { word, memberId: guest.memberId });
    expect([closed.status, closed.json.code]).toEqual([422, 'secret_word.wrong']);
  });

  it('staff of another store or another brand cannot redeem; a word for some stores is wrong elsewhere', async () => {
    const store = await openStore();
    const elsewhere = await openStore();
    const word = `hidden-${crypto.randomUUID().slice(0, 6)}`;
    await secretWord(store.admin, { word, storeIds: [store.storeId] });
    const guest = await wechatMember();
    const body = { word, memberId: guest.memberId };
    expect((await redeem(store.storeId, elsewhere.staff, body)).status).toBe(403);
    const otherBrand = await tokenFor('staff', { brandId: 'brd_other', storeId: store.storeId });
    expect((await redeem(store.storeId, otherBrand, body)).status).toBe(404);
    expect((await redeem(elsewhere.storeId, elsewhere.staff, body)).json.code).toBe('secret_word.wrong');
    expect((await redeem(store.storeId, guest.token, body)).status).toBe(403);
    expect((await redeem(store.storeId, store.staff, { word, memberId: 'mem_nobody' })).status).toBe(404);
    expect((await redeem(store.storeId, store.staff, { word })).status).toBe(422);
  });

  it('a word only grants a dish on the published menu: refused when set, switched on, or said after it left the menu', async () => {
    const store = await openStore();
    const category = await createCategory(store.admin);
    const unpublishedDish = await createItem(store.admin, { categoryId: category.id });
    const early = await call('/v1/admin/secret-words', {
      method: 'POST',
      token: store.admin,
      body: { word: `early-${crypto.randomUUID().slice(0, 6)}`, itemId: unpublishedDish.id, startsAt: hourAgo() },
    });
    expect([early.status, early.json.code]).toEqual([409, 'secret_word.item_unpublished']);

    const word = `shelf-${crypto.randomUUID().slice(0, 6)}`;
    const w = await secretWord(store.admin, { word, storeIds: [store.storeId] });
    // The store takes the dish off its shelf and publishes.
    const off = await call(`/v1/admin/stores/${store.storeId}/items/itm_potstickers`, {
      method: 'PUT',
      token: store.admin,
      body: { onShelf: false },
    });
    expect(off.status, off.text).toBe(200);
    const pub = await call('/v1/admin/menu/publish', {
      method: 'POST',
      token: store.admin,
      body: { storeIds: [store.storeId] },
    });
    expect(pub.status, pub.text).toBe(200);

    const guest = await wechatMember();
    const said = await redeem(store.storeId, store.staff, { word, memberId: guest.memberId });
    expect([said.status, said.json.code]).toEqual([409, 'secret_word.item_unpublished']);
    const coupons = await call('/v1/members/me/coupons', { token: guest.token });
    expect(JSON.stringify(coupons.json)).not.toContain(w.templateId);

    const patch = (active: boolean) =>
      call(`/v1/admin/secret-words/${w.id}`, { method: 'PATCH', token: store.admin, body: { active } });
    expect((await patch(false)).status).toBe(200);
    const on = await patch(true);
    expect([on.status, on.json.code]).toEqual([409, 'secret_word.item_unpublished']);
  });
});
