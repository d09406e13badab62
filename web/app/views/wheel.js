// A lucky wheel (`/w/{wheelId}`): every prize with its published chance (the server's exact
// odds, adding up to 100%), what is gone, the cost and daily limit; a signed-in guest spins,
// sees their last spins, and once the day's spins are used the button says so before a tap.
import { html, useEffect, useState } from '/lib/ui.js';
import { signInHref, useGuest } from '../account.js';
import { api, errorCode } from '../api.js';
import { addStrings, t } from '../i18n.js';
import './account-styles.js';

const refusals = ['wheel.daily_limit', 'wheel.inactive', 'wheel.sold_out', 'points.insufficient'];

export default function Wheel({ params }) {
  const session = useGuest();
  const [wheel, setWheel] = useState(null);
  const [missing, setMissing] = useState(false);
  const [spin, setSpin] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  // The guest's standing today and last spins (GET /v1/members/me/wheels/{id}/spins).
  const [mine, setMine] = useState(null);

  const load = () =>
    api.games
      .getWheel({ wheelId: params.wheelId })
      .then(setWheel, (e) =>
        errorCode(e) === 'wheel.not_found' || errorCode(e) === 'validation.failed'
          ? setMissing(true)
          : setError(t('offline')),
      );
  const loadMine = () =>
    api.games.listMySpins({ wheelId: params.wheelId, limit: 5 }).then(setMine, () => setMine(null));
  useEffect(() => {
    load();
  }, [params.wheelId]);
  useEffect(() => {
    if (session) loadMine();
  }, [params.wheelId, session]);

  const go = async () => {
    setBusy(true);
    setError(null);
    try {
      setSpin(await api.games.spinWheel({ wheelId: params.wheelId }));
      load();
      loadMine();
    } catch (e) {
      const code = errorCode(e);
      setError(refusals.includes(code) ? t(`wh.no.${code}`) : t('offline'));
      if (code === 'wheel.daily_limit') loadMine();
    } finally {
      setBusy(false);
    }
  };

  if (missing) return html`<p class="empty">${t('wh.missing')}</p>`;
  if (!wheel) return html`<p class="boot" role="status">${t('loading')}</p>`;
  const usedUp = mine !== null && mine.today.spinsLeft === 0 && !mine.today.freeSpinAvailable;
  return html`
    <section class="card rf" data-testid="wheel">
      <h1 class="rf-title">${wheel.name}</h1>
      <p class="muted">
        ${wheel.costPoints > 0 ? t('wh.cost', { n: wheel.costPoints }) : t('wh.free')} · ${t('wh.limit', { n: wheel.dailyLimit })}
      </p>
      <h2 class="wh-odds-title">${t('wh.odds')}</h2>
      <ul class="rf-gifts" data-testid="wheel-odds">
        ${wheel.prizes.map(
          (p) => html`<li data-testid="wheel-prize" data-prize-id=${p.id} class=${p.outOfStock ? 'muted' : ''}>
            ${p.label} <b>${p.chancePercent.toFixed(2)}%</b>${p.outOfStock ? html` · ${t('wh.gone')}` : ''}
          </li>`,
        )}
      </ul>
      ${
        spin &&
        html`<p class="rf-ok" role="status" data-testid="wheel-result">
          ${spin.prize.kind === 'none' ? t('wh.thanks') : t('wh.won', { prize: spin.prize.label })}
          · ${t('wh.left', { n: spin.spinsLeftToday })}
        </p>`
      }
      ${
        !wheel.open
          ? html`<p class="muted">${t('wh.closed')}</p>`
          : session
            ? html`<button class="btn wide" disabled=${busy || usedUp} onClick=${go} data-testid="spin">
                ${usedUp ? t('wh.usedUp') : t('wh.spin')}
              </button>
              ${usedUp && html`<p class="muted" role="status" data-testid="wheel-limit">${t('wh.no.wheel.daily_limit')}</p>`}`
            : html`<a class="btn wide" href=${signInHref(`/w/${wheel.id}`)} data-testid="spin">${t('wh.signIn')}</a>`
      }
      ${error && !usedUp && html`<p class="error" role="alert" data-testid="wheel-error">${error}</p>`}
      ${
        mine?.spins.length > 0 &&
        html`<h2 class="wh-odds-title">${t('wh.mine')}</h2>
          <ul class="rf-gifts" data-testid="wheel-history">
            ${mine.spins.map(
              (s) => html`<li data-testid="wheel-history-spin">
                ${s.day} · ${s.prize.kind === 'none' ? t('wh.thanks') : s.prize.label}${s.free ? html` · ${t('wh.freeSpin')}` : ''}
              </li>`,
            )}
          </ul>`
      }
    </section>
  `;
}

addStrings({
  zh: {
    'wh.cost': '每次 {n} 积分',
    'wh.free': '免费抽奖',
    'wh.limit': '每天 {n} 次',
    'wh.odds': '中奖概率（公示）',
    'wh.gone': '已抽完',
    'wh.spin': '开始抽奖',
    'wh.signIn': '登录后抽奖',
    'wh.won': '恭喜抽中：{prize}',
    'wh.thanks': '谢谢参与',
    'wh.left': '今日还可抽 {n} 次',
    'wh.closed': '活动未开始或已结束',
    'wh.missing': '这个转盘不存在',
    'wh.no.wheel.daily_limit': '今天的次数用完了，明天再来',
    'wh.no.wheel.inactive': '活动未开始或已结束',
    'wh.no.wheel.sold_out': '奖品已全部抽完',
    'wh.no.points.insufficient': '积分不够',
    'wh.usedUp': '今日次数已用完',
    'wh.mine': '我的抽奖记录',
    'wh.freeSpin': '分享赠送',
  },
  en: {
    'wh.cost': '{n} points a spin',
    'wh.free': 'Free to spin',
    'wh.limit': '{n} a day',
    'wh.odds': 'Published odds',
    'wh.gone': 'all gone',
    'wh.spin': 'Spin',
    'wh.signIn': 'Sign in to spin',
    'wh.won': 'You won: {prize}',
    'wh.thanks': 'Thanks for playing',
    'wh.left': '{n} spins left today',
    'wh.closed': 'This wheel is not open now',
    'wh.missing': 'There is no such wheel',
    'wh.no.wheel.daily_limit': 'No spins left today; come back tomorrow',
    'wh.no.wheel.inactive': 'This wheel is not open now',
    'wh.no.wheel.sold_out': 'Every prize is gone',
    'wh.no.points.insufficient': 'Not enough points',
    'wh.usedUp': 'No spins left today',
    'wh.mine': 'My spins',
    'wh.freeSpin': 'free from sharing',
  },
});
