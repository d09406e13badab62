import { beforeAll, describe, expect, it } from 'vitest';
import { MULTI_SPEC_ITEM_ID } from '../../schema/d1/seed';
import { call, tokenFor } from '../support/http';

/*
 * Issue #17: the API answers in a fixed order, the one the document promises. A wrong method
 * is 405 with `Allow` whoever asks; an operation that needs a token says 401 before it reads the
 * body; a body with a property the document does not name is 422, however deep it sits.
 */

const STORE = 'sto_demo_peoplesq';
let admin: string;
let clerk: string;
let member: string;

beforeAll(async () => {
  admin = await tokenFor('admin');
  clerk = await tokenFor('staff', { subject: 'stf_answers_clerk', storeId: STORE, staffRole: 'clerk' });
  member = await tokenFor('member', { subject: 'mem_answers' });
});

describe('a wrong method is 405 with Allow, whatever the token', () => {
  it('a clerk who PUTs an admin item hears which methods the path takes, not that the role is wrong', async () => {
    const res = await call(`/v1/admin/items/${MULTI_SPEC_ITEM_ID}`, { method: 'PUT', token: clerk, body: {} });
    expect(res.status, res.text).toBe(405);
    expect(res.json.code).toBe('http.method_not_allowed');
    expect(res.headers.get('allow')).toBe('DELETE, GET, HEAD, PATCH');
    // The right method with the same token is still refused for its role.
    const right = await call(`/v1/admin/items/${MULTI_SPEC_ITEM_ID}`, { token: clerk });
    expect(right.status).toBe(403);
  });

  it('a member who DELETEs the refunds of an order, and a caller with no token, get 405 too', async () => {
    const refunds = await call('/v1/orders/ord_nothing/refunds', { method: 'DELETE', token: member });
    expect(refunds.status, refunds.text).toBe(405);
    expect(refunds.headers.get('allow')).toContain('POST');
    const anonymous = await call(`/v1/stores/${STORE}/quote`, { method: 'GET' });
    expect(anonymous.status, anonymous.text).toBe(405);
    expect(anonymous.headers.get('allow')).toBe('POST');
  });

  it('the right method still reaches the route', async () => {
    const res = await call(`/v1/admin/items/${MULTI_SPEC_ITEM_ID}`, { token: admin });
    expect(res.status, res.text).toBe(200);
  });
});

describe('an operation that needs a token says so before it reads the body', () => {
  it('placing an order without a token is 401, even with a body that would not validate', async () => {
    const res = await call(`/v1/stores/${STORE}/orders`, { method: 'POST', body: { lines: 'not a list' } });
    expect(res.status, res.text).toBe(401);
    expect(res.json.code).toBe('auth.unauthorized');
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('a quote needs no token (a guest sees prices before signing in), so its broken body is the 422', async () => {
    const anonymous = await call(`/v1/stores/${STORE}/quote`, {
      method: 'POST',
      body: { mode: 'pickup', lines: [{ itemId: 'itm_potstickers', quantity: 1 }] },
    });
    expect(anonymous.status, anonymous.text).toBe(200);
    const broken = await call(`/v1/stores/${STORE}/quote`, { method: 'POST', body: { lines: 'not a list' } });
    expect(broken.status, broken.text).toBe(422);
    // A token that is sent must still be a valid one.
    const forged = await call(`/v1/stores/${STORE}/quote`, { method: 'POST', token: 'not.a.token', body: {} });
    expect(forged.status, forged.text).toBe(401);
  });

  it('with a token, the same body is the 422 it always was', async () => {
    const res = await call(`/v1/stores/${STORE}/quote`, { method: 'POST', token: member, body: { lines: 'x' } });
    expect(res.status, res.text).toBe(422);
  });

  it('a public operation still answers without a token', async () => {
    expect((await call(`/v1/stores/${STORE}/menu`)).status).toBe(200);
  });
});

describe('a coupon rule says exactly what the server takes', () => {
  const create = (rule: Record<string, unknown>) =>
    call('/v1/admin/coupon-templates', {
      method: 'POST',
      token: admin,
      body: { name: '满30减5', rule, validity: { days: 30 } },
    });

  it('a scoped rule, limited to some items and stores, is accepted', async () => {
    const res = await create({
      kind: 'amount',
      threshold: 3000,
      amountOff: 500,
      scope: { itemIds: ['itm_potstickers'] },
      validity: { storeIds: [STORE] },
      exclusive: true,
    });
    expect(res.status, res.text).toBe(201);
  });

  it('an unknown property inside the rule is 422 naming it', async () => {
    const res = await create({ kind: 'amount', threshold: 0, amountOff: 500, stackable: true });
    expect(res.status, res.text).toBe(422);
    expect(JSON.stringify(res.json.errors)).toContain('stackable');
    const nested = await create({ kind: 'percent', percentOff: 10, scope: { itemIds: [], tags: ['x'] } });
    expect(nested.status, nested.text).toBe(422);
  });

  it('¥0 off is refused, and the document says the least is 1 cent', async () => {
    const res = await create({ kind: 'amount', threshold: 0, amountOff: 0 });
    expect(res.status, res.text).toBe(422);
    expect(res.json.errors[0].path).toBe('rule.amountOff');
    const doc = (await call('/openapi.json')).json;
    const amount = doc.components.schemas.CouponRule.oneOf.find(
      (v: { properties: { kind: { enum: string[] } } }) => v.properties.kind.enum[0] === 'amount',
    );
    expect(amount.properties.amountOff.minimum).toBe(1);
    expect(amount.additionalProperties).toBe(false);
    expect(Object.keys(amount.properties)).toEqual(
      expect.arrayContaining(['scope', 'validity', 'exclusive', 'threshold']),
    );
  });
});
