// A friend's referral link (`/r/{code}`): who invited, what both get, and accept: sign in
// (coming back here with `?accept=1`) and bind the code; both are rewarded after the
// guest's first completed paid order.
import { html, useEffect, useState } from '/lib/ui.js';
import { deviceId, signInHref, useGuest } from '../account.js';
import { api, errorCode } from '../api.js';
import { addStrings, t } from '../i18n.js';
import './account-styles.js';

const refusals = ['self', 'loop', 'already_referred', 'not_new', 'device_used'];

export default function Referral({ params, query }) {
  const session = useGuest();
  const code = params.code.toUpperCase();
  const [preview, setPreview] = useState(null);
  const [missing, setMissing] = useState(false);
  const [outcome, setOutcome] = useState(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api.loyalty
      .getReferralPreview({ code })
      .then(setPreview, (e) =>
        errorCode(e) === 'referral.code_not_found' || errorCode(e) === 'validation.failed'
          ? setMissing(true)
          : setOutcome({ error: t('offline') }),
      );
  }, [code]);

  const accept = async () => {
    setBusy(true);
    try {
      await api.loyalty.referral({ body: { code, deviceId: deviceId() } });
      setOutcome({ ok: true });
    } catch (e) {
      const reason = e.problem?.reason;
      setOutcome({ error: refusals.includes(reason) ? t(`rf.no.${reason}`) : t('offline') });
    } finally {
      setBusy(false);
    }
  };

  // A shared wheel link (`?wheel=`): a signed-in friend's open counts toward the sharer's free spin.
  const wheelId = query.get('wheel');
  useEffect(() => {
    if (session && wheelId) api.games.recordShareOpen({ wheelId, body: { code } }).catch(() => {});
  }, [session?.token, wheelId]);

  // Back from signing in to accept: accept once, without a second tap.
  useEffect(() => {
    if (session && preview && query.get('accept') === '1' && !outcome) accept();
  }, [session?.token, preview]);

  if (missing) return html`<p class="empty">${t('rf.missing')}</p>`;
  if (!preview) return html`<p class="boot" role="status">${t('loading')}</p>`;
  const inviter = preview.inviter.nickname ?? t('rf.friend');
  return html`
    <section class="card rf" data-testid="referral">
      <h1 class="rf-title">${t('rf.invites', { name: inviter })}</h1>
      <ul class="rf-gifts">
        <li><b>${preview.rewards.inviteePoints}</b> ${t('rf.youGet')}</li>
        <li><b>${preview.rewards.inviterPoints}</b> ${t('rf.theyGet', { name: inviter })}</li>
      </ul>
      <p class="muted">${t('rf.when')}</p>
      ${
        outcome?.ok
          ? html`<p class="rf-ok" role="status" data-testid="referral-accepted">${t('rf.accepted')}</p>
            <a class="btn wide" href="/">${t('rf.order')}</a>`
          : session
            ? html`<button class="btn wide" disabled=${busy} onClick=${accept} data-testid="accept-referral">${t('rf.accept')}</button>`
            : html`<a class="btn wide" href=${signInHref(`/r/${code}?accept=1`)} data-testid="accept-referral">${t('rf.signInAccept')}</a>`
      }
      ${outcome?.error && html`<p class="error" role="alert">${outcome.error}</p>`}
      <p class="muted rf-code">${t('rf.code')} ${preview.code}</p>
    </section>
  `;
}

addStrings({
  zh: {
    'rf.invites': '{name} 邀请你来尝尝',
    'rf.friend': '你的朋友',
    'rf.youGet': '积分送给你',
    'rf.theyGet': '积分送给 {name}',
    'rf.when': '你完成首单并支付后，双方都会收到积分。',
    'rf.accept': '接受邀请',
    'rf.signInAccept': '登录并接受邀请',
    'rf.accepted': '已接受邀请，快去下第一单吧',
    'rf.order': '去点餐',
    'rf.code': '邀请码',
    'rf.missing': '这个邀请链接已失效',
    'rf.no.self': '不能使用自己的邀请码',
    'rf.no.loop': '你们已经互相邀请过了',
    'rf.no.already_referred': '你已经接受过邀请了',
    'rf.no.not_new': '邀请仅限新顾客（首单完成前）',
    'rf.no.device_used': '这台设备已经使用过邀请码',
  },
  en: {
    'rf.invites': '{name} invites you to try us',
    'rf.friend': 'Your friend',
    'rf.youGet': 'points for you',
    'rf.theyGet': 'points for {name}',
    'rf.when': 'Both of you get the points once your first order is paid and completed.',
    'rf.accept': 'Accept the invitation',
    'rf.signInAccept': 'Sign in and accept',
    'rf.accepted': 'Accepted: place your first order',
    'rf.order': 'Order now',
    'rf.code': 'Code',
    'rf.missing': 'This invitation link no longer works',
    'rf.no.self': 'You cannot use your own code',
    'rf.no.loop': 'You invited each other already',
    'rf.no.already_referred': 'You already accepted an invitation',
    'rf.no.not_new': 'Invitations are for new guests, before their first order',
    'rf.no.device_used': 'This device has already used an invitation',
  },
});
