import { rulesErrors } from '../../domain/loyalty/rules';
import { isValidTimeZone } from '../../domain/zoned-time';
import { pointsCatalog as pointsCatalogTable } from '../../schema/d1/tables';
import { createTemplate, listTemplates, missingTemplates, patchTemplate } from '../coupons/templates.service';
import { principalOf } from '../http/auth';
import { ApiError } from '../http/errors';
import { createRouter } from '../http/router';
import { db } from '../lib/db';
import { newId } from '../lib/ids';
import * as r from './loyalty-admin.routes';
import { loyaltyRules, saveLoyaltyRules } from './loyalty-rules.service';
import { pointsCatalog } from './redemption.service';

/** Mounted under the admin router (admins only, scoped to their brand). */
export const loyaltyAdminRouter = createRouter();

loyaltyAdminRouter
  .openapi(r.getRulesRoute, async (c) => c.json(await loyaltyRules(c.env, principalOf(c).brandId), 200))
  .openapi(r.putRulesRoute, async (c) => {
    const brandId = principalOf(c).brandId;
    const rules = c.req.valid('json');
    const errors = rulesErrors(rules);
    if (!isValidTimeZone(rules.timeZone)) errors.push({ path: 'timeZone', message: 'not an IANA time zone' });
    const templates = [
      ...rules.newMemberPack.templateIds.map((id, i) => ({ id, path: `newMemberPack.templateIds.${i}` })),
      ...rules.referral.milestones.map((m, i) => ({ id: m.templateId, path: `referral.milestones.${i}.templateId` })),
      ...rules.tiers.flatMap((t, i) =>
        t.benefits.birthdayGiftTemplateId
          ? [{ id: t.benefits.birthdayGiftTemplateId, path: `tiers.${i}.benefits.birthdayGiftTemplateId` }]
          : [],
      ),
    ];
    const missing = new Set(
      await missingTemplates(
        c.env,
        brandId,
        templates.map((t) => t.id),
      ),
    );
    for (const t of templates)
      if (missing.has(t.id)) errors.push({ path: t.path, message: `no coupon template ${t.id}` });
    if (errors.length) throw new ApiError(422, 'validation.failed', 'The loyalty rules have problems.', { errors });
    return c.json(await saveLoyaltyRules(c.env, brandId, rules), 200);
  })
  .openapi(r.createTemplateRoute, async (c) =>
    c.json(await createTemplate(c.env, principalOf(c).brandId, c.req.valid('json')), 201),
  )
  .openapi(r.listTemplatesRoute, async (c) =>
    c.json({ templates: await listTemplates(c.env, principalOf(c).brandId) }, 200),
  )
  .openapi(r.patchTemplateRoute, async (c) =>
    c.json(
      await patchTemplate(c.env, principalOf(c).brandId, c.req.valid('param').templateId, c.req.valid('json')),
      200,
    ),
  )
  .openapi(r.createCatalogItemRoute, async (c) => {
    const brandId = principalOf(c).brandId;
    const input = c.req.valid('json');
    if ((await missingTemplates(c.env, brandId, [input.templateId])).length) {
      throw new ApiError(422, 'validation.failed', 'No such coupon template.', {
        errors: [{ path: 'templateId', message: `no coupon template ${input.templateId}` }],
      });
    }
    const id = newId('pcat');
    await db(c.env)
      .insert(pointsCatalogTable)
      .values({
        id,
        brandId,
        name: input.name,
        kind: input.kind,
        cost: input.cost,
        templateId: input.templateId,
        active: Boolean(input.active),
        createdAt: Date.now(),
      })
      .run();
    return c.json({ id, name: input.name, kind: input.kind, cost: input.cost, templateId: input.templateId }, 201);
  })
  .openapi(r.listCatalogRoute, async (c) => {
    const items = (await pointsCatalog(c.env, principalOf(c).brandId, true)) as {
      id: string;
      name: string;
      kind: 'coupon' | 'dish';
      cost: number;
      templateId: string;
      active: boolean;
    }[];
    return c.json({ items }, 200);
  });
