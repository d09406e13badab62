import { holdoutBucket } from '../../domain/campaigns/targeting';
import { inBrandHoldout } from '../../domain/experiments/assignment';
import { enqueueIssueSlices, type IssueMessage } from '../../queues/messages';
import { campaignRuns } from '../../schema/d1/tables';
import type { Env } from '../env';
import { brandHoldoutPercent } from '../experiments/brand-holdout.service';
import { couponExperiment, couponVariants } from '../experiments/campaign-variants.service';
import { db } from '../lib/db';
import { newId } from '../lib/ids';
import { inAudience } from './audience-sql';
import type { Campaign } from './campaigns.service';

/**
 * Members per message: the consumer issues a slice in a few set statements whatever its size,
 * so a bigger slice means fewer statements per member; 500 ids keep a message near 20 KB,
 * far under the queue's 128 KB.
 */
export const MEMBERS_PER_MESSAGE = 500;

/**
 * Fans a campaign out to the coupons queue: splits the members into target and holdout
 * (deterministically, so a re-run puts everyone in the same group), records the run, and
 * sends the slices. The consumer does the issuing; this only decides who, within the campaign's audience.
 */
export async function fanOut(
  env: Env,
  c: Campaign,
  period: string,
  memberIds: string[],
  opts: { templateId?: string; now?: number } = {},
) {
  const now = opts.now ?? Date.now();
  const templateId = opts.templateId ?? c.templateId;
  if (!templateId || memberIds.length === 0) return { runId: null, targeted: 0, heldOut: 0, messages: 0 };
  // The campaign's audience narrows whom its rule picked (the consumer checks it again when it issues).
  const unique = await inAudience(env, c.audience, [...new Set(memberIds)]);
  if (unique.length === 0) return { runId: null, targeted: 0, heldOut: 0, messages: 0 };
  const runId = newId('run');
  const messages: IssueMessage[] = [];
  let heldOut = 0;
  // The brand's campaign holdout too, so the run's count is right (the consumer checks it again).
  const brandPercent = await brandHoldoutPercent(env, c.brandId);
  const held = (m: string) =>
    holdoutBucket(c.id, m, c.holdoutPercent) === 'holdout' || inBrandHoldout(c.brandId, m, brandPercent);
  // A `campaign_coupon` experiment on the campaign's own coupon splits the targets by template.
  const experiment = templateId === c.templateId ? await couponExperiment(env, c) : null;
  for (let i = 0; i < unique.length; i += MEMBERS_PER_MESSAGE) {
    const slice = unique.slice(i, i + MEMBERS_PER_MESSAGE);
    const holdout = slice.filter(held);
    heldOut += holdout.length;
    const targets = slice.filter((m) => !holdout.includes(m));
    const byTemplate = await couponVariants(env, experiment, templateId, targets, now);
    let first = true;
    for (const [template, ids] of byTemplate) {
      messages.push({
        runId,
        campaignId: c.id,
        brandId: c.brandId,
        period,
        templateId: template,
        memberIds: ids,
        // The slice's holdout goes with its first message only, so each is recorded once.
        holdout: first ? holdout : [],
      });
      first = false;
    }
  }
  await db(env)
    .insert(campaignRuns)
    .values({
      id: runId,
      campaignId: c.id,
      period,
      targeted: unique.length,
      messages: messages.length,
      startedAt: now,
      detail: JSON.stringify({ heldOut, templateId }),
    })
    .run();
  await enqueueIssueSlices(env.COUPONS_QUEUE, messages);
  return { runId, targeted: unique.length - heldOut, heldOut, messages: messages.length };
}
