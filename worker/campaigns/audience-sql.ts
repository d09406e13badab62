import { type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import { type Audience, normalTag } from '../../domain/campaigns/audience';
import { memberProfiles, memberSegments } from '../../schema/d1/tables';
import type { Env } from '../env';
import { db } from '../lib/db';
import { personalisationGranted } from '../profiles/profiles.service';

/*
 * The SQL form of `matchesAudience` (domain/campaigns/audience.ts): a condition on a member
 * id expression, for set statements (issuance filters its json_each slice with it). Each
 * condition is an indexed lookup by member id (the profile's and the segment's primary
 * keys); tags and scenes are read with json_each over the profile's arrays. A profile
 * condition also asks for the personalisation consent, so a profile left behind by a race
 * with a withdrawal matches nothing.
 */
export function audienceSql(a: Audience, memberId: SQLWrapper): SQL {
  if ('all' in a)
    return sql`(${sql.join(
      a.all.map((b) => audienceSql(b, memberId)),
      sql` AND `,
    )})`;
  if ('any' in a)
    return sql`(${sql.join(
      a.any.map((b) => audienceSql(b, memberId)),
      sql` OR `,
    )})`;
  const s = memberSegments;
  if ('segment' in a)
    return sql`EXISTS (SELECT 1 FROM ${s} WHERE ${s.memberId} = ${memberId} AND ${s.segment} = ${a.segment})`;
  const p = memberProfiles;
  let test: SQL;
  if ('tag' in a) test = sql`EXISTS (SELECT 1 FROM json_each(${p.tags}) WHERE value = ${normalTag(a.tag)})`;
  else if ('scene' in a) test = sql`EXISTS (SELECT 1 FROM json_each(${p.scenes}) WHERE value = ${a.scene})`;
  else if ('spendingLevel' in a) test = sql`${p.spendingLevel} = ${a.spendingLevel}`;
  else test = sql`${p.healthLeaning} = ${a.healthLeaning}`;
  return sql`(EXISTS (SELECT 1 FROM ${p} WHERE ${p.memberId} = ${memberId} AND ${test}) AND ${personalisationGranted(memberId)})`;
}

/** Ids per statement: one JSON parameter each, the slice size of issuance. */
const PER_READ = 500;

/**
 * The members among these that the audience takes, in their order: a run draws its target and
 * holdout groups from these, so the lift compares like with like. No audience takes everyone.
 */
export async function inAudience(env: Env, audience: Audience | null, memberIds: string[]): Promise<string[]> {
  if (!audience || memberIds.length === 0) return memberIds;
  const d = db(env);
  const reads = [];
  for (let i = 0; i < memberIds.length; i += PER_READ) {
    const slice = JSON.stringify(memberIds.slice(i, i + PER_READ));
    reads.push(
      d.all<{ id: string }>(
        sql`SELECT j.value AS id FROM json_each(${slice}) AS j WHERE ${audienceSql(audience, sql.raw('j.value'))} ORDER BY j.key`,
      ),
    );
  }
  return (await Promise.all(reads)).flat().map((r) => r.id);
}
