import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import { requestPhoneCode } from '../../worker/members/phone-codes.service';
import { overrideSmsAdapter } from '../../worker/notify/sms.adapter';
import { roomInWindow } from '../support/clock-windows';
import { wechatMember } from '../support/factories';
import {
  bindPhone,
  bindWithCode,
  codeSentTo,
  freshPhone,
  me,
  memberRow,
  requestCode,
  smsInbox,
} from '../support/members';

afterEach(() => overrideSmsAdapter(undefined));

/** A code that is not the one sent. */
const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

describe('binding a phone needs the code texted to it', () => {
  it('binding without a code is refused with a 422 that says how, and binds nothing', async () => {
    const m = await wechatMember();
    const res = await bindWithCode(m.token, freshPhone());
    expect(res.status).toBe(422);
    expect(res.json.code).toBe('phone.code_required');
    expect(res.json.detail).toContain('/v1/members/me/phone/code');
    expect((await me(m.token)).json.phone).toBeNull();
  });

  it('the code is six digits, texted to the number, and stored only as a hash', async () => {
    const m = await wechatMember();
    const phone = freshPhone();
    const asked = await requestCode(m.token, phone);
    expect(asked.status, asked.text).toBe(202);
    expect(asked.json).toEqual({ sent: true, expiresInSeconds: 300 });
    const code = codeSentTo(phone)!;
    expect(code).toMatch(/^\d{6}$/);
    const stored = await env.DB.prepare('SELECT * FROM phone_codes WHERE member_id = ?').bind(m.memberId).first();
    expect(JSON.stringify(stored)).not.toContain(code);
    expect(JSON.stringify(stored)).not.toContain(phone);
    const bound = await bindWithCode(m.token, phone, code);
    expect(bound.status, bound.text).toBe(200);
    // A code is used once.
    expect((await bindWithCode(m.token, phone, code)).json.code).toBe('phone.code_invalid');
  });

  it('five wrong codes lock it: even the right code then fails until a new one is sent', async () => {
    const m = await wechatMember();
    const phone = freshPhone();
    await requestCode(m.token, phone);
    const code = codeSentTo(phone)!;
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push((await bindWithCode(m.token, phone, wrong(code))).json);
    expect(answers.map((a) => a.attemptsLeft)).toEqual([4, 3, 2, 1, 0]);
    expect(answers.at(-1).code).toBe('phone.code_locked');
    const right = await bindWithCode(m.token, phone, code);
    expect(right.status).toBe(422);
    expect(right.json.code).toBe('phone.code_locked');
    expect((await me(m.token)).json.phone).toBeNull();

    expect((await bindPhone(m.token, phone)).status).toBe(200);
  });

  it('parallel guesses cannot get more than five tries at one code', async () => {
    const m = await wechatMember();
    const phone = freshPhone();
    await requestCode(m.token, phone);
    const code = codeSentTo(phone)!;
    const guesses = await Promise.all(Array.from({ length: 8 }, () => bindWithCode(m.token, phone, wrong(code))));
    expect(guesses.every((g) => g.status === 422 || g.status === 429)).toBe(true);
    const row = await env.DB.prepare('SELECT attempts FROM phone_codes WHERE member_id = ?')
      .bind(m.memberId)
      .first<{ attempts: number }>();
    expect(row!.attempts).toBeLessThanOrEqual(5);
  });

  it('an expired code, or a code sent to another number, does not bind', async () => {
    const m = await wechatMember();
    const phone = freshPhone();
    await requestCode(m.token, phone);
    const code = codeSentTo(phone)!;
    expect((await bindWithCode(m.token, freshPhone(), code)).json.code).toBe('phone.code_invalid');
    await env.DB.prepare('UPDATE phone_codes SET expires_at = ? WHERE member_id = ?')
      .bind(Date.now() - 1, m.memberId)
      .run();
    expect((await bindWithCode(m.token, phone, code)).json.code).toBe('phone.code_expired');
    expect((await me(m.token)).json.phone).toBeNull();
  });

  it('codes for one number are limited (each text costs money and pesters its owner)', async () => {
    const phone = freshPhone();
    const statuses = [];
    await roomInWindow();
    for (let i = 0; i < 6; i++) statuses.push((await requestCode((await wechatMember()).token, phone)).status);
    expect(statuses.slice(0, 5)).toEqual([202, 202, 202, 202, 202]);
    expect(statuses[5]).toBe(429);
  });
});

describe('nobody learns who is a member from binding a phone', () => {
  it("another member's number answers exactly as a stranger's until the code proves the caller holds it", async () => {
    const owner = await wechatMember();
    const taken = freshPhone();
    expect((await bindPhone(owner.token, taken)).status).toBe(200);
    const prober = await wechatMember();
    const free = freshPhone();

    // Before: 409 member.phone_taken told anyone that the number belongs to a member.
    const strip = (r: { status: number; json: Record<string, unknown> }) => ({
      status: r.status,
      body: { ...r.json, requestId: undefined },
    });
    expect(strip(await bindWithCode(prober.token, taken))).toEqual(strip(await bindWithCode(prober.token, free)));
    expect(strip(await requestCode(prober.token, taken))).toEqual(strip(await requestCode(prober.token, free)));
    await requestCode(prober.token, taken);
    const wrongTaken = strip(await bindWithCode(prober.token, taken, wrong(codeSentTo(taken)!)));
    await requestCode(prober.token, free);
    const wrongFree = strip(await bindWithCode(prober.token, free, wrong(codeSentTo(free)!)));
    expect(wrongTaken).toEqual(wrongFree);
    expect((await me(owner.token)).json.phone).not.toBeNull();
  });

  it('once the code proves it, the number moves to the member who holds it, and the move is audited', async () => {
    const before = await wechatMember();
    const phone = freshPhone();
    expect((await bindPhone(before.token, phone)).status).toBe(200);
    const holder = await wechatMember();
    expect((await bindPhone(holder.token, phone)).status).toBe(200);
    expect((await memberRow(before.memberId))!.phone_hash).toBeNull();
    const audit = await env.DB.prepare("SELECT * FROM audit_log WHERE action = 'member.phone_moved' AND subject_id = ?")
      .bind(before.memberId)
      .first<{ actor_id: string }>();
    expect(audit!.actor_id).toBe(holder.memberId);
  });
});

describe('without an SMS provider', () => {
  it('production refuses to pretend a code was sent', async () => {
    const m = await wechatMember();
    const row = (await env.DB.prepare('SELECT * FROM members WHERE id = ?').bind(m.memberId).first()) as never;
    const prod = { ...env, DEV_AUTH: undefined };
    overrideSmsAdapter(undefined);
    const before = smsInbox.sent.length;
    await expect(requestPhoneCode(prod, row, freshPhone())).rejects.toMatchObject({
      status: 503,
      code: 'sms.not_configured',
    });
    expect(smsInbox.sent.length).toBe(before);
  });
});
