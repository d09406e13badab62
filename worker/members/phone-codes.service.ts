import { and, eq, gt, lt, ne, sql } from 'drizzle-orm';
import { log } from '../../domain/log';
import { auditLog, members, phoneCodes } from '../../schema/d1/tables';
import type { Env } from '../env';
import { ApiError } from '../http/errors';
import { enforceLimit } from '../http/rate-limit';
import { db } from '../lib/db';
import { newId } from '../lib/ids';
import { lookupHash } from '../lib/lookup-keys';
import { seal } from '../lib/seal';
import { smsAdapterFor } from '../notify/sms.adapter';
import type { MemberRow } from './members.service';
import { normalizePhone, phoneLookupHash } from './phone';

/*
 * A phone is bound only with the code sent to it. Asking for a code answers the same
 * whoever holds the number, so the answer tells nobody whether it is a member's; once the
 * code proves the caller holds the phone, the phone is theirs: a number bound to another
 * member moves to the one who can receive its texts (carriers recycle numbers), and the
 * move is audited.
 */

export const CODE_TTL_MS = 5 * 60_000;
export const MAX_TRIES = 5;

function sixDigits(): string {
  // Rejection sampling: a plain modulo would favour the low codes.
  for (;;) {
    const [n] = crypto.getRandomValues(new Uint32Array(1));
    if (n! < 4_294_000_000) return String(n! % 1_000_000).padStart(6, '0');
  }
}

const codeHash = (env: Env, memberId: string, phoneHash: string, code: string) =>
  lookupHash(env, 'tiffin/phone-code/v1', `${memberId}:${phoneHash}:${code}`);

function sameHex(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** Where a pending code lives and whose brand it is for: a member binding a phone, or a phone signing in. */
export interface CodeSlot {
  /** The `phone_codes` key: the member's id, or `signin:{brandId}:{phoneHash}` for a sign-in. */
  key: string;
  brandId: string;
}

/**
 * Sends a fresh 6-digit code for `phone` into `slot`, replacing its pending one. The caller
 * has applied its limits; the answer is the same for every valid number.
 */
export async function sendPhoneCode(env: Env, slot: CodeSlot, phone: string, phoneHash: string, now = Date.now()) {
  const sms = smsAdapterFor(env);
  if (!sms) throw new ApiError(503, 'sms.not_configured', 'Phone verification is not available right now.');
  const code = sixDigits();
  const values = {
    brandId: slot.brandId,
    phoneHash,
    codeHash: await codeHash(env, slot.key, phoneHash, code),
    attempts: 0,
    expiresAt: now + CODE_TTL_MS,
    createdAt: now,
  };
  await db(env)
    .insert(phoneCodes)
    .values({ memberId: slot.key, ...values })
    .onConflictDoUpdate({ target: phoneCodes.memberId, set: values });
  const sent = await sms.sendCode(phone, code);
  if (!sent.ok) {
    log.warn('sms.send_failed', {
      slot: slot.key.startsWith('signin:') ? 'signin' : slot.key,
      code: sent.code,
      detail: sent.detail,
    });
    throw new ApiError(503, 'sms.unavailable', 'The code could not be sent; try again in a minute.', {
      headers: { 'Retry-After': '60' },
    });
  }
  return { sent: true as const, expiresInSeconds: CODE_TTL_MS / 1000 };
}

/** Sends a 6-digit code to `input`, replacing the member's pending one. Same answer for every valid number. */
export async function requestPhoneCode(env: Env, row: MemberRow, input: string, now = Date.now()) {
  const phone = normalizePhone(input);
  const phoneHash = await phoneLookupHash(env, phone);
  await enforceLimit(env, 'sms', `phone-code:member:${row.id}`);
  await enforceLimit(env, 'sms', `phone-code:phone:${phoneHash}`);
  return sendPhoneCode(env, { key: row.id, brandId: row.brandId }, phone, phoneHash, now);
}

const codeInvalid = (attemptsLeft: number) =>
  new ApiError(422, 'phone.code_invalid', 'The code is wrong, or was not sent to this number.', {
    extra: { attemptsLeft },
  });
const codeExpired = () =>
  new ApiError(422, 'phone.code_expired', 'The code has expired; ask for a new one.', { extra: { attemptsLeft: 0 } });
const codeLocked = () =>
  new ApiError(422, 'phone.code_locked', 'Too many wrong codes; ask for a new one.', { extra: { attemptsLeft: 0 } });
export const codeRequired = () =>
  new ApiError(
    422,
    'phone.code_required',
    'Binding a phone needs the code sent to it: POST /v1/members/me/phone/code { phone }, then send { phone, code } here.',
  );

/**
 * Uses up the code pending in slot `key` if it is `code` for this phone. Each try counts (at
 * most 5 per code, then it is dead) in one conditional statement, so parallel guesses cannot
 * exceed the cap; a wrong, expired or locked code is a 422 naming which.
 */
export async function consumePhoneCode(env: Env, key: string, phoneHash: string, code: string, now = Date.now()) {
  const d = db(env);
  const p = phoneCodes;
  const pending = await d
    .update(p)
    .set({ attempts: sql`${p.attempts} + 1` })
    .where(and(eq(p.memberId, key), lt(p.attempts, MAX_TRIES), gt(p.expiresAt, now)))
    .returning()
    .get();
  if (!pending) {
    const dead = await d.select().from(p).where(eq(p.memberId, key)).get();
    if (!dead) throw codeInvalid(0);
    throw dead.expiresAt <= now ? codeExpired() : codeLocked();
  }
  const expected = await codeHash(env, key, phoneHash, code);
  if (pending.phoneHash !== phoneHash || !sameHex(expected, pending.codeHash)) {
    throw pending.attempts >= MAX_TRIES ? codeLocked() : codeInvalid(MAX_TRIES - pending.attempts);
  }
  const used = await d
    .delete(p)
    .where(and(eq(p.memberId, key), eq(p.codeHash, pending.codeHash)))
    .returning({ memberId: p.memberId })
    .get();
  if (!used) throw codeInvalid(0);
}

/**
 * Binds the phone the code proves the caller holds. Each try counts (at most 5 per code,
 * then the code is dead); a right code is used up; a phone bound to another member of the
 * brand moves here.
 */
export async function bindVerifiedPhone(
  env: Env,
  row: MemberRow,
  input: { phone: string; code?: string },
  now = Date.now(),
) {
  if (!input.code) throw codeRequired();
  const phone = normalizePhone(input.phone);
  const phoneHash = await phoneLookupHash(env, phone);
  await enforceLimit(env, 'auth', `phone-code:member:${row.id}`);
  await enforceLimit(env, 'auth', `phone-code:phone:${phoneHash}`);
  await consumePhoneCode(env, row.id, phoneHash, input.code, now);
  const d = db(env);
  if (row.phoneHash === phoneHash) return row;
  const previous = await d
    .select({ id: members.id })
    .from(members)
    .where(and(eq(members.brandId, row.brandId), eq(members.phoneHash, phoneHash), ne(members.id, row.id)))
    .get();
  const sealed = await seal(env, phone);
  const bind = d.update(members).set({ phoneSealed: sealed, phoneHash }).where(eq(members.id, row.id));
  try {
    if (previous) {
      await d.batch([
        d.update(members).set({ phoneSealed: null, phoneHash: null }).where(eq(members.id, previous.id)),
        bind,
        d.insert(auditLog).values({
          id: newId('aud'),
          brandId: row.brandId,
          actorRole: 'member',
          actorId: row.id,
          action: 'member.phone_moved',
          subjectId: previous.id,
          detail: JSON.stringify({ to: row.id }),
          createdAt: now,
        }),
      ]);
    } else {
      await bind;
    }
  } catch (e) {
    // The same holder verified it on two accounts at once: the unique index let one win.
    if (/UNIQUE/i.test(String((e as Error)?.cause ?? e))) {
      throw new ApiError(409, 'phone.bind_conflict', 'This number was just bound elsewhere; ask for a new code.');
    }
    throw e;
  }
  return (await d.select().from(members).where(eq(members.id, row.id)).get()) as MemberRow;
}
