import type { z } from '@hono/zod-openapi';
import { and, desc, eq, gt, inArray, isNull, lte, or } from 'drizzle-orm';
import type { Audience } from '../../domain/campaigns/audience';
import { isoInZone } from '../../domain/zoned-time';
import type { CampaignConfig, CampaignInput, CampaignPush } from '../../schema/api/campaigns.schemas';
import { campaigns } from '../../schema/d1/tables';
import { missingTemplates } from '../coupons/templates.service';
import type { Env } from '../env';
import { ApiError, notFound } from '../http/errors';
import { db } from '../lib/db';
import { newId } from '../lib/ids';

export type CampaignRow = typeof campaigns.$inferSelect;

export interface Campaign {
  id: string;
  brandId: string;
  name: string;
  kind: CampaignConfig['kind'];
  status: CampaignRow['status'];
  templateId: string | null;
  config: CampaignConfig;
  push: z.infer<typeof CampaignPush> | null;
  /** Who among the picked members gets the coupon; null for all of them. */
  audience: Audience | null;
  holdoutPercent: number;
  startsAt: number | null;
  endsAt: number | null;
  createdAt: number;
}

export const toCampaign = (r: CampaignRow): Campaign => ({
  id: r.id,
  brandId: r.brandId,
  name: r.name,
  kind: r.kind,
  status: r.status,
  templateId: r.templateId,
  config: JSON.parse(r.config) as CampaignConfig,
  push: r.push ? JSON.parse(r.push) : null,
  audience: r.audience ? (JSON.parse(r.audience) as Audience) : null,
  holdoutPercent: r.holdoutPercent,
  startsAt: r.startsAt,
  endsAt: r.endsAt,
  createdAt: r.createdAt,
});

const TZ = 'Asia/Shanghai';
export function campaignView(c: Campaign) {
  return {
    id: c.id,
    name: c.name,
    kind: c.kind,
    status: c.status,
    templateId: c.templateId,
    config: c.config as unknown as Record<string, unknown>,
    push: c.push,
    audience: c.audience,
    holdoutPercent: c.holdoutPercent,
    startsAt: c.startsAt === null ? null : isoInZone(c.startsAt, TZ),
    endsAt: c.endsAt === null ? null : isoInZone(c.endsAt, TZ),
    createdAt: isoInZone(c.createdAt, TZ),
  };
}

/** The coupon templates a campaign issues: its own, and any its kind names per step or rung. */
export function templatesOf(
  templateId: string | undefined | null,
  config: CampaignConfig,
): { id: string; path: string }[] {
  const out: { id: string; path: string }[] = templateId ? [{ id: templateId, path: 'templateId' }] : [];
  if (config.kind === 'recall') {
    for (const [i, s] of config.steps.entries()) out.push({ id: s.templateId, path: `config.steps.${i}.templateId` });
  }
  if (config.kind === 'bargain') {
    for (const [i, s] of config.rungs.entries()) out.push({ id: s.templateId, path: `config.rungs.${i}.templateId` });
  }
  if (config.kind === 'birthday') {
    for (const [i, s] of (config.byTag ?? []).entries())
      out.push({ id: s.templateId, path: `config.byTag.${i}.templateId` });
  }
  if (config.kind === 'weather') {
    if (config.rainOrCold) out.push({ id: config.rainOrCold, path: 'config.rainOrCold' });
    if (config.heat) out.push({ id: config.heat, path: 'config.heat' });
  }
  return out;
}

/** Kinds that issue the campaign's own template and so must name one. */
const NEEDS_TEMPLATE = new Set([
  'manual',
  'drop',
  'partner',
  'night_owl',
  'geofence',
  'birthday',
  'member_day',
  'segment',
  'group_buy',
]);

export async function createCampaign(
  env: Env,
  brandId: string,
  input: z.infer<typeof CampaignInput>,
  now = Date.now(),
) {
  const errors: { path: string; message: string }[] = [];
  if (NEEDS_TEMPLATE.has(input.config.kind) && !input.templateId) {
    errors.push({ path: 'templateId', message: `a ${input.config.kind} campaign issues a coupon template` });
  }
  if (input.config.kind === 'weather' && !input.config.rainOrCold && !input.config.heat) {
    errors.push({ path: 'config', message: 'name a template for rain/cold, heat, or both' });
  }
  const templates = templatesOf(input.templateId, input.config);
  const missing = new Set(
    await missingTemplates(
      env,
      brandId,
      templates.map((t) => t.id),
    ),
  );
  for (const t of templates)
    if (missing.has(t.id)) errors.push({ path: t.path, message: `no coupon template ${t.id}` });
  const startsAt = input.startsAt ? Date.parse(input.startsAt) : null;
  const endsAt = input.endsAt ? Date.parse(input.endsAt) : null;
  if (Number.isNaN(startsAt) || Number.isNaN(endsAt) || (startsAt !== null && endsAt !== null && endsAt <= startsAt)) {
    errors.push({ path: 'endsAt', message: 'startsAt and endsAt must be ISO times, start before end' });
  }
  if (errors.length) throw new ApiError(422, 'validation.failed', 'The campaign has problems.', { errors });
  const id = newId('cmp');
  await db(env)
    .insert(campaigns)
    .values({
      id,
      brandId,
      name: input.name,
      kind: input.config.kind,
      status: input.status,
      templateId: input.templateId ?? null,
      config: JSON.stringify(input.config),
      push: input.push ? JSON.stringify(input.push) : null,
      audience: input.audience ? JSON.stringify(input.audience) : null,
      holdoutPercent: input.holdoutPercent,
      startsAt,
      endsAt,
      createdAt: now,
      updatedAt: now,
    })
    .run();
  return getCampaign(env, brandId, id);
}

export async function getCampaign(env: Env, brandId: string, id: string): Promise<Campaign> {
  const row = await db(env)
    .select()
    .from(campaigns)
    .where(and(eq(campaigns.id, id), eq(campaigns.brandId, brandId)))
    .get();
  if (!row) throw notFound('campaign', id);
  return toCampaign(row);
}

export async function listCampaigns(env: Env, brandId: string) {
  const rows = await db(env)
    .select()
    .from(campaigns)
    .where(eq(campaigns.brandId, brandId))
    .orderBy(desc(campaigns.createdAt));
  return rows.map(toCampaign);
}

/** Active campaigns of these kinds, across brands, that are running at `now`. */
export async function runningCampaigns(env: Env, kinds: CampaignConfig['kind'][], now = Date.now()) {
  const rows = await db(env)
    .select()
    .from(campaigns)
    .where(
      and(
        eq(campaigns.status, 'active'),
        inArray(campaigns.kind, kinds),
        or(isNull(campaigns.startsAt), lte(campaigns.startsAt, now)),
        or(isNull(campaigns.endsAt), gt(campaigns.endsAt, now)),
      ),
    );
  return rows.map(toCampaign);
}

export async function patchCampaign(
  env: Env,
  brandId: string,
  id: string,
  patch: { status?: Campaign['status']; holdoutPercent?: number; audience?: Audience | null },
  now = Date.now(),
) {
  await getCampaign(env, brandId, id);
  // A field left out keeps its value (drizzle leaves undefined keys out of the SET); a null audience clears it.
  const audience = patch.audience === undefined ? undefined : patch.audience && JSON.stringify(patch.audience);
  await db(env)
    .update(campaigns)
    .set({
      status: patch.status ?? undefined,
      holdoutPercent: patch.holdoutPercent ?? undefined,
      audience,
      updatedAt: now,
    })
    .where(and(eq(campaigns.id, id), eq(campaigns.brandId, brandId)))
    .run();
  return getCampaign(env, brandId, id);
}

/** A campaign a member can act on (claim, exchange, join): active and running now, else 404/409. */
export async function liveCampaign(
  env: Env,
  brandId: string,
  id: string,
  kind: CampaignConfig['kind'],
  now = Date.now(),
) {
  const c = await getCampaign(env, brandId, id);
  if (c.kind !== kind) throw notFound('campaign', id);
  if (c.status !== 'active' || (c.startsAt !== null && c.startsAt > now) || (c.endsAt !== null && c.endsAt <= now)) {
    throw new ApiError(409, 'campaign.not_running', `${c.name} is not running now.`, { extra: { status: c.status } });
  }
  return c;
}
