import { and, eq } from 'drizzle-orm';
import type { CarrierName } from '../../domain/delivery/carrier-status';
import { BRAND_TIME_ZONE, isoInZone } from '../../domain/zoned-time';
import type { CarrierAccountInput } from '../../schema/api/delivery.schemas';
import { carrierAccounts } from '../../schema/d1/tables';
import type { Env } from '../env';
import { ApiError, notFound, validationFailed } from '../http/errors';
import { db, json } from '../lib/db';
import { seal, unseal } from '../lib/seal';
import { findStore } from '../stores/stores.service';
import type { DadaAccount } from './carriers/dada.carrier';
import type { CarrierAccountData } from './carriers/registry';
import type { SfAccount } from './carriers/sf.carrier';
import type { WechatDeliveryAccount } from './carriers/wechat.carrier';

type Input = (typeof CarrierAccountInput)['_output'];
type Row = typeof carrierAccounts.$inferSelect;

/** Which fields of each carrier's account are secrets (sealed, never read back). */
const SECRET_FIELDS: Record<CarrierName, string[]> = {
  dada: ['appSecret'],
  sf: ['devKey'],
  wechat: ['appSecret', 'pushToken', 'tokenAppSecret'],
};

/** Where a carrier's status callbacks go. */
export const callbackUrl = (env: Env, carrier: CarrierName) =>
  `${env.PUBLIC_BASE_URL}/v1/delivery/callbacks/${carrier}`;

function view(env: Env, r: Row) {
  const { secretsSet, ...settings } = json<{ secretsSet?: string[] } & Record<string, unknown>>(r.settings, {});
  return {
    carrier: r.carrier,
    enabled: r.enabled,
    settings,
    secretsSet: secretsSet ?? [],
    callbackUrl: callbackUrl(env, r.carrier),
    createdAt: isoInZone(r.createdAt, BRAND_TIME_ZONE),
    updatedAt: isoInZone(r.updatedAt, BRAND_TIME_ZONE),
  };
}

/** A store of the admin's brand, or 404. */
async function brandStore(env: Env, brandId: string, storeId: string) {
  const store = await findStore(env, storeId);
  if (store.brandId !== brandId) throw notFound('store', storeId);
  return store;
}

async function rowOf(env: Env, storeId: string, carrier: CarrierName): Promise<Row | undefined> {
  return db(env)
    .select()
    .from(carrierAccounts)
    .where(and(eq(carrierAccounts.storeId, storeId), eq(carrierAccounts.carrier, carrier)))
    .get();
}

/** Splits an input into its public settings and its secrets (the ones given). */
function split(input: Input): { settings: Record<string, unknown>; secrets: Record<string, string> } {
  if (input.carrier === 'dada') {
    const { carrier: _c, enabled: _e, appSecret, ...settings } = input;
    return { settings, secrets: appSecret ? { appSecret } : {} };
  }
  if (input.carrier === 'sf') {
    const { carrier: _c, enabled: _e, devKey, ...settings } = input;
    return { settings, secrets: devKey ? { devKey } : {} };
  }
  const { carrier: _c, enabled: _e, appSecret, pushToken, accessToken, ...rest } = input;
  const tokenAppSecret = accessToken.source === 'mini_program' ? accessToken.appSecret : undefined;
  return {
    settings: {
      ...rest,
      accessToken:
        accessToken.source === 'mini_program' ? { source: 'mini_program', appId: accessToken.appId } : accessToken,
    },
    secrets: {
      ...(appSecret ? { appSecret } : {}),
      ...(pushToken ? { pushToken } : {}),
      ...(tokenAppSecret ? { tokenAppSecret } : {}),
    },
  };
}

/**
 * Sets a store's account with a carrier (creating or replacing it). Secrets are sealed;
 * one left out keeps the one on file, and a new account must give each it needs.
 */
export async function putCarrierAccount(env: Env, brandId: string, storeId: string, input: Input, now = Date.now()) {
  const store = await brandStore(env, brandId, storeId);
  const existing = await rowOf(env, store.id, input.carrier);
  const { settings, secrets: given } = split(input);
  const kept = existing ? json<Record<string, string>>(await unseal(env, existing.secretsSealed), {}) : {};
  const secrets = { ...kept, ...given };
  const needed = SECRET_FIELDS[input.carrier].filter(
    (k) => k !== 'tokenAppSecret' || (input.carrier === 'wechat' && input.accessToken.source === 'mini_program'),
  );
  const missing = needed.filter((k) => !secrets[k]);
  if (missing.length > 0) {
    throw validationFailed(
      missing.map((k) => ({ path: k === 'tokenAppSecret' ? 'accessToken.appSecret' : k, message: 'required' })),
    );
  }
  const row: Row = {
    storeId: store.id,
    brandId: store.brandId,
    carrier: input.carrier,
    enabled: input.enabled,
    settings: JSON.stringify({ ...settings, secretsSet: Object.keys(secrets).sort() }),
    secretsSealed: await seal(env, JSON.stringify(secrets)),
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
  await db(env)
    .insert(carrierAccounts)
    .values(row)
    .onConflictDoUpdate({
      target: [carrierAccounts.storeId, carrierAccounts.carrier],
      set: { enabled: row.enabled, settings: row.settings, secretsSealed: row.secretsSealed, updatedAt: now },
    });
  return view(env, row);
}

export async function listCarrierAccounts(env: Env, brandId: string, storeId: string) {
  const store = await brandStore(env, brandId, storeId);
  const rows = await db(env).select().from(carrierAccounts).where(eq(carrierAccounts.storeId, store.id)).all();
  return rows.sort((a, b) => (a.carrier < b.carrier ? -1 : 1)).map((r) => view(env, r));
}

export async function getCarrierAccount(env: Env, brandId: string, storeId: string, carrier: CarrierName) {
  const store = await brandStore(env, brandId, storeId);
  const row = await rowOf(env, store.id, carrier);
  if (!row) throw notFound('carrier', carrier);
  return view(env, row);
}

export async function deleteCarrierAccount(env: Env, brandId: string, storeId: string, carrier: CarrierName) {
  const store = await brandStore(env, brandId, storeId);
  const done = await db(env)
    .delete(carrierAccounts)
    .where(and(eq(carrierAccounts.storeId, store.id), eq(carrierAccounts.carrier, carrier)))
    .run();
  if (done.meta.changes === 0) throw notFound('carrier', carrier);
}

/** A row with its secrets opened, as the adapters take it. */
async function accountData(env: Env, r: Row): Promise<CarrierAccountData> {
  const { secretsSet: _s, ...settings } = json<Record<string, unknown>>(r.settings, {});
  const secrets = json<Record<string, string>>(await unseal(env, r.secretsSealed), {});
  if (r.carrier === 'dada') {
    return {
      carrier: 'dada',
      account: { ...(settings as Omit<DadaAccount, 'appSecret'>), appSecret: secrets.appSecret! },
    };
  }
  if (r.carrier === 'sf')
    return { carrier: 'sf', account: { ...(settings as Omit<SfAccount, 'devKey'>), devKey: secrets.devKey! } };
  const { accessToken, ...rest } = settings as { accessToken: { source: string; appId?: string } };
  const own = accessToken.source === 'mini_program';
  const tokenAppId = own ? accessToken.appId : env.WECHAT_APPID;
  const tokenAppSecret = own ? secrets.tokenAppSecret : env.WECHAT_SECRET;
  if (!tokenAppId || !tokenAppSecret) {
    throw new ApiError(
      422,
      'dispatch.carrier_not_configured',
      'WeChat instant delivery needs a mini program for its access token: set WECHAT_APPID and WECHAT_SECRET, or give the account its own.',
    );
  }
  return {
    carrier: 'wechat',
    account: {
      ...(rest as Pick<WechatDeliveryAccount, 'shopId' | 'deliveryIds' | 'shopNo'>),
      appSecret: secrets.appSecret!,
      pushToken: secrets.pushToken!,
      tokenAppId,
      tokenAppSecret,
    },
  };
}

/** A store's enabled carrier accounts, secrets opened, for quoting and placing. */
export async function enabledCarrierAccounts(env: Env, storeId: string): Promise<CarrierAccountData[]> {
  const rows = await db(env)
    .select()
    .from(carrierAccounts)
    .where(and(eq(carrierAccounts.storeId, storeId), eq(carrierAccounts.enabled, true)))
    .all();
  return Promise.all(rows.sort((a, b) => (a.carrier < b.carrier ? -1 : 1)).map((r) => accountData(env, r)));
}

/** One store's account with a carrier, secrets opened, enabled or not (callbacks and cancels still need it). */
export async function carrierAccountData(
  env: Env,
  storeId: string,
  carrier: CarrierName,
): Promise<CarrierAccountData | null> {
  const row = await rowOf(env, storeId, carrier);
  return row ? accountData(env, row) : null;
}

/** Every WeChat instant delivery push Token on file (the mini program's; usually one per deployment). */
export async function wechatPushTokens(env: Env): Promise<string[]> {
  const rows = await db(env)
    .select({ secretsSealed: carrierAccounts.secretsSealed })
    .from(carrierAccounts)
    .where(eq(carrierAccounts.carrier, 'wechat'))
    .all();
  const tokens = await Promise.all(
    rows.map(async (r) => json<{ pushToken?: string }>(await unseal(env, r.secretsSealed), {}).pushToken),
  );
  return [...new Set(tokens.filter((t): t is string => !!t))];
}
