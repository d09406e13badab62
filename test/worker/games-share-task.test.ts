import { describe, expect, it } from 'vitest';
import { roomInHour } from '../support/clock-windows';
import { newBrand, wechatMember } from '../support/factories';
import { call } from '../support/http';
import { givePoints } from '../support/loyalty';

describe('share tasks: friends opening a shared wheel link earn a free spin', () => {
  it('counts distinct friends and groups, never the sharer, and gives one free spin a day beyond the limit', async () => {
    // One free spin a day, and the day's paid one: all on one day.
    await roomInHour();
    const brand = await newBrand();
    const created = await call('/v1/admin/wheels', {
      method: 'POST',
      token: brand.admin,
      body: {
        name: 'Share and spin',
        costPoints: 10,
        dailyLimit: 1,
        sharesForFreeSpin: 3,
        startsAt: new Date(Date.now() - 60_000).toISOString(),
        prizes: [
          { label: '谢谢参与', kind: 'none', weight: 1 },
          { label: '5 积分', kind: 'points', points: 5, weight: 1 },
        ],
      },
    });
    expect(created.status, created.text).toBe(201);
    const wheelId = created.json.id as string;
    const sharer = await wechatMember({ brandId: brand.brandId });
    const friends = [];
    for (let i = 0; i < 5; i++) friends.push(await wechatMember({ brandId: brand.brandId }));

    const task = await call(`/v1/wheels/${wheelId}/share-task`, { token: sharer.token });
    expect(task.status, task.text).toBe(200);
    expect(task.json).toMatchObject({ opens: 0, needed: 3, earned: false, freeSpinAvailable: false });
    expect(task.json.shareUrl).toContain(`/r/${task.json.code}?wheel=${wheelId}`);
    const code = task.json.code as string;
    const open = (token: string, openGId?: string) =>
      call(`/v1/wheels/${wheelId}/share-opens`, {
        method: 'POST',
        token,
        body: { code, ...(openGId ? { openGId } : {}) },
      });

    expect((await open(sharer.token)).json).toMatchObject({ counted: false, reason: 'self', opens: 0 });
    expect((await open(friends[0]!.token)).json).toMatchObject({ counted: true, opens: 1 });
    expect((await open(friends[0]!.token, 'G-other')).json).toMatchObject({
      counted: false,
      reason: 'already_counted',
    });
    expect((await open(friends[1]!.token, 'G1')).json).toMatchObject({ counted: true, opens: 2 });
    // A second member of the same group is the same group.
    expect((await open(friends[2]!.token, 'G1')).json).toMatchObject({ counted: false, opens: 2 });

    // Not earned yet: the one paid spin of the day needs points.
    expect((await call(`/v1/wheels/${wheelId}/spins`, { method: 'POST', token: sharer.token })).json.code).toBe(
      'points.insufficient',
    );
    expect((await open(friends[3]!.token, 'G2')).json).toMatchObject({ counted: true, opens: 3, needed: 3 });
    expect((await call(`/v1/wheels/${wheelId}/share-task`, { token: sharer.token })).json).toMatchObject({
      earned: true,
      freeSpinAvailable: true,
    });

    const free = await call(`/v1/wheels/${wheelId}/spins`, { method: 'POST', token: sharer.token });
    expect(free.status, free.text).toBe(201);
    expect(free.json).toMatchObject({ free: true, costPoints: 0, spinsLeftToday: 1 });

    // The free spin is once a day, however many more friends open the link.
    await open(friends[4]!.token);
    expect((await call(`/v1/wheels/${wheelId}/share-task`, { token: sharer.token })).json).toMatchObject({
      opens: 4,
      freeSpinAvailable: false,
    });
    await givePoints(sharer, 100);
    const paid = await call(`/v1/wheels/${wheelId}/spins`, { method: 'POST', token: sharer.token });
    expect(paid.json).toMatchObject({ free: false, costPoints: 10, spinsLeftToday: 0 });
    expect((await call(`/v1/wheels/${wheelId}/spins`, { method: 'POST', token: sharer.token })).json.code).toBe(
      'wheel.daily_limit',
    );
  });

  it('a wheel without a share task, or an unknown code, counts nothing', async () => {
    const brand = await newBrand();
    const created = await call('/v1/admin/wheels', {
      method: 'POST',
      token: brand.admin,
      body: {
        name: 'Plain',
        dailyLimit: 1,
        startsAt: new Date(Date.now() - 60_000).toISOString(),
        prizes: [
          { label: 'a', kind: 'none', weight: 1 },
          { label: 'b', kind: 'none', weight: 1 },
        ],
      },
    });
    const friend = await wechatMember({ brandId: brand.brandId });
    const none = await call(`/v1/wheels/${created.json.id}/share-opens`, {
      method: 'POST',
      token: friend.token,
      body: { code: 'ZZZZZZ' },
    });
    expect([none.status, none.json.code]).toEqual([409, 'wheel.no_share_task']);
    await call(`/v1/admin/wheels/${created.json.id}`, {
      method: 'PATCH',
      token: brand.admin,
      body: { sharesForFreeSpin: 2 },
    });
    const unknown = await call(`/v1/wheels/${created.json.id}/share-opens`, {
      method: 'POST',
      token: friend.token,
      body: { code: 'ZZZZZZ' },
    });
    expect([unknown.status, unknown.json.code]).toEqual([404, 'referral.code_not_found']);
  });
});
