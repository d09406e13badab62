import { couponTemplate } from '../support/campaigns';
import { openStore, potstickers, wechatMember } from '../support/factories';
import { createCategory, createItem, enrolledDevice, type Json } from '../support/fixtures';
import { bargainCampaign, groupCampaign } from '../support/groups';
import { call, tokenFor } from '../support/http';
import { tableOf } from '../support/tables';

/** Who calls: no token, then each role, the widest last (so its writes do not hide the narrower answers). */
export const ROLES = ['none', 'member', 'partner', 'device', 'clerk', 'manager', 'admin'] as const;
export type Role = (typeof ROLES)[number];

async function ok(what: string, res: Promise<{ status: number; text: string; json: unknown }>) {
  const r = await res;
  if (r.status >= 300) throw new Error(`${what}: ${r.status} ${r.text}`);
  return r.json as Json;
}

/**
 * The records the run points path parameters at: one of each kind, made through the API
 * as a user would, in an always-open store of the demo brand with its menu published.
 */
export async function buildWorld() {
  const { storeId, admin } = await openStore();
  const guest = await wechatMember();
  const table = await tableOf(storeId, admin, 'C1');
  const category = await createCategory(admin);
  const item = await createItem(admin, { categoryId: category.id });
  const device = await enrolledDevice(admin, storeId);
  const order = await ok(
    'order',
    call(`/v1/stores/${storeId}/orders`, {
      method: 'POST',
      token: guest.token,
      body: { mode: 'pickup', lines: [potstickers()] },
    }),
  );
  const paying = await ok(
    'order to pay',
    call(`/v1/stores/${storeId}/orders`, {
      method: 'POST',
      token: guest.token,
      body: { mode: 'pickup', lines: [potstickers()] },
    }),
  );
  const payment = await ok(
    'payment',
    call(`/v1/orders/${paying.id}/payments`, { method: 'POST', token: guest.token, body: { method: 'sandbox' } }),
  );
  const templateId = await couponTemplate(admin);
  const group = await groupCampaign(admin);
  const bargain = await bargainCampaign(admin, [1]);
  const referral = await ok('referral', call('/v1/members/me/referral', { token: guest.token }));
  const tokens: Record<Role, string | undefined> = {
    none: undefined,
    member: guest.token,
    partner: await tokenFor('partner', { subject: 'partner_conformance', scopes: ['analytics:read'] }),
    device: device.token,
    clerk: await tokenFor('staff', { storeId, staffRole: 'clerk', subject: 'stf_conf_clerk' }),
    manager: await tokenFor('staff', { storeId, staffRole: 'manager', subject: 'stf_conf_manager' }),
    admin,
  };
  /** Path parameter values by name; names with no record of their own get a well-formed id that does not exist. */
  const params: Record<string, string> = {
    storeId,
    orderId: order.id,
    paymentId: payment.payments[0].id as string,
    provider: 'sandbox',
    action: 'accept',
    itemId: item.id,
    categoryId: category.id,
    tableId: table.id,
    qrToken: table.qr.token,
    deviceId: device.id,
    campaignId: group.campaignId,
    groupId: 'grp_conformance_none',
    bargainId: 'brg_conformance_none',
    sessionId: 'ses_conformance_none',
    templateId,
    staffId: 'stf_conformance_none',
    adminId: 'adm_conformance_none',
    accountId: 'acc_conformance_none',
    alertId: 'alr_conformance_none',
    deadLetterId: 'dlq_conformance_none',
    code: String(referral.code ?? 'NOSUCHCODE'),
    kind: 'marketing_push',
  };
  return { storeId, guest, tokens, params, bargainCampaignId: bargain.campaignId, memberId: guest.memberId };
}

export type World = Awaited<ReturnType<typeof buildWorld>>;
