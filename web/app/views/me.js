// The guest's own page (`/me`): tier and the way to the next, points, stored value,
// today's perks with the check-in, the way to orders, coupons and inviting friends; sign out.
import { html, useEffect, useState } from '/lib/ui.js';
import { SignInFirst, useGuest } from '../account.js';
import { api, errorCode, setGuestSession } from '../api.js';
import { addStrings, money, t } from '../i18n.js';
import { navigate } from '../router.js';
import './account-styles.js';

function useProfile(session) {
  const [profile, setProfile] = useState(null);
  const [error, setError] = useState(null);
  const load = () =>
    api.members.getMe().then(setProfile, (e) => {
      // A member the server no longer knows (erased, signed out everywhere): sign in again.
      if (['auth.token_revoked', 'member.not_found', 'auth.unauthorized'].includes(errorCode(e))) setGuestSession(null);
      else setError(e);
    });
  useEffect(() => {
    if (session) load();
  }, [session?.token]);
  return { profile, error, reload: load };
}

function Tier({ tier }) {
  const next = tier.next;
  const pct = next && next.minSpend > 0 ? Math.min(100, Math.round((tier.spend / next.minSpend) * 100)) : 100;
  return html`
    <div class="card me-tier">
      <div class="me-tier-name" data-testid="tier">${tier.name}</div>
      ${
        next
          ? html`<div class="me-progress" role="progressbar" aria-valuenow=${pct} aria-valuemin="0" aria-valuemax="100">
              <span style=${`width:${pct}%`}></span>
            </div>
            <p class="muted">${t('me.toNext', { amount: money(tier.spendNeeded), tier: next.name })}</p>`
          : html`<p class="muted">${t('me.topTier')}</p>`
      }
    </div>
  `;
}

function CheckIn({ perks, onDone }) {
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState(null);
  const go = async () => {
    setBusy(true);
    try {
      const r = await api.loyalty.createCheckIn();
      setNote(t('me.checkedInGot', { points: r.points, streak: r.streak }));
      await onDone();
    } catch (e) {
      setNote(errorCode(e) === 'checkin.done_today' ? t('me.checkedIn') : t('offline'));
    } finally {
      setBusy(false);
    }
  };
  return html`
    <div class="card me-perks">
      <h2>${t('me.today')}</h2>
      <ul class="me-perk-list">
        ${perks.memberDay && html`<li class="badge">${t('me.memberDay')}</li>`}
        ${perks.birthdayWeek && html`<li class="badge">${t('me.birthday')}</li>`}
        <li class="muted">${t('me.streak', { n: perks.checkInStreak })}</li>
        ${perks.diceRollsLeft > 0 && html`<li class="muted">${t('me.dice', { n: perks.diceRollsLeft })}</li>`}
      </ul>
      <button class="btn wide" disabled=${busy || perks.checkedInToday} onClick=${go} data-testid="check-in">
        ${perks.checkedInToday ? t('me.checkedIn') : t('me.checkIn')}
      </button>
      ${note && html`<p class="muted" role="status" data-testid="check-in-note">${note}</p>`}
    </div>
  `;
}

export default function Me() {
  const session = useGuest();
  const { profile, error, reload } = useProfile(session);
  if (!session) return html`<${SignInFirst} why=${t('me.why')} />`;
  if (error) return html`<p class="error" role="alert">${t('offline')}</p>`;
  if (!profile) return html`<p class="boot" role="status">${t('loading')}</p>`;
  const signOut = () => {
    setGuestSession(null);
    navigate('/');
  };
  return html`
    <section class="me">
      <div class="me-head">
        <div class="me-name">${profile.nickname || t('me.guest')}</div>
        <div class="muted">${profile.phone ?? ''}</div>
      </div>
      <${Tier} tier=${profile.tier} />
      <div class="me-figures">
        <div class="card"><b data-testid="points">${profile.points.available}</b><span class="muted">${t('me.points')}</span></div>
        <div class="card"><b data-testid="balance">${money(profile.balance)}</b><span class="muted">${t('me.balance')}</span></div>
        <a class="card" href="/me/coupons"><b data-testid="coupon-count">${profile.availableCoupons}</b><span class="muted">${t('me.coupons')}</span></a>
      </div>
      ${profile.points.pending > 0 && html`<p class="muted">${t('me.pending', { n: profile.points.pending })}</p>`}
      <${CheckIn} perks=${profile.perks} onDone=${reload} />
      <nav class="card me-links">
        <a href="/me/orders" data-testid="my-orders-link">${t('me.orders')} ›</a>
        <a href="/me/coupons" data-testid="my-coupons-link">${t('me.coupons')} ›</a>
      </nav>
      <button class="btn secondary wide" onClick=${signOut} data-testid="sign-out">${t('signOut')}</button>
    </section>
  `;
}

addStrings({
  zh: {
    'me.why': '登录后查看会员等级、积分和优惠券',
    'me.guest': '顾客',
    'me.toNext': '再消费 {amount} 升级为 {tier}',
    'me.topTier': '已是最高等级',
    'me.points': '积分',
    'me.balance': '余额',
    'me.coupons': '优惠券',
    'me.pending': '另有 {n} 积分待到账',
    'me.today': '今日福利',
    'me.memberDay': '会员日',
    'me.birthday': '生日周',
    'me.streak': '已连续签到 {n} 天',
    'me.dice': '今日还可掷骰子 {n} 次',
    'me.checkIn': '签到领积分',
    'me.checkedIn': '今日已签到',
    'me.checkedInGot': '签到成功，获得 {points} 积分（连续 {streak} 天）',
    'me.orders': '我的订单',
  },
  en: {
    'me.why': 'Sign in to see your tier, points and coupons',
    'me.guest': 'Guest',
    'me.toNext': 'Spend {amount} more to reach {tier}',
    'me.topTier': 'You are at the top tier',
    'me.points': 'Points',
    'me.balance': 'Balance',
    'me.coupons': 'Coupons',
    'me.pending': '{n} more points on their way',
    'me.today': 'Today',
    'me.memberDay': 'Member day',
    'me.birthday': 'Birthday week',
    'me.streak': 'Checked in {n} days in a row',
    'me.dice': '{n} dice rolls left today',
    'me.checkIn': 'Check in for points',
    'me.checkedIn': 'Checked in today',
    'me.checkedInGot': 'Checked in: +{points} points ({streak} days in a row)',
    'me.orders': 'My orders',
  },
});
