// A bargain someone shared (`/b/{campaignId}/{bargainId}`): how far the price has come down
// (helpers, rungs reached, what the next needs), time left, and "help cut" once per friend.
// The owner sees their own progress and shares it on.
import { html, useEffect, useState } from '/lib/ui.js';
import { deviceId, SignInFirst, shareLink, useGuest, useTimeLeft } from '../account.js';
import { api, errorCode } from '../api.js';
import { addStrings, t } from '../i18n.js';
import './account-styles.js';

const REFUSALS = ['self_help', 'already_helped', 'device_used', 'daily_limit'];

function failure(e) {
  const code = errorCode(e);
  const reason = e.problem?.reason;
  if (code === 'bargain.refused' && REFUSALS.includes(reason)) return t(`bg.no.${reason}`);
  if (code === 'bargain.expired' || code === 'campaign.not_running') return t('bg.over');
  if (code === 'bargain.done') return t('bg.done');
  return t('offline');
}

function Ladder({ bargain }) {
  return html`
    <ol class="bg-rungs">
      ${bargain.rungs.map(
        (r) =>
          html`<li class=${r.reached ? 'bg-rung on' : 'bg-rung'}>${t('bg.rung', { n: r.helpers })}${r.reached ? ' ✓' : ''}</li>`,
      )}
    </ol>
  `;
}

function View({ bargain, onHelped }) {
  const left = useTimeLeft(bargain.expiresAt);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [note, setNote] = useState(null);
  const top = bargain.rungs.at(-1)?.helpers ?? 1;
  const pct = Math.min(100, Math.round((bargain.helpers / top) * 100));
  const help = async () => {
    setBusy(true);
    setError(null);
    try {
      onHelped(
        await api.campaigns.createHelp({
          campaignId: bargain.campaignId,
          bargainId: bargain.id,
          body: { deviceId: deviceId() },
        }),
      );
      setNote(t('bg.thanks'));
    } catch (e) {
      setError(failure(e));
    } finally {
      setBusy(false);
    }
  };
  const share = async () => setNote(t(`bg.${await shareLink(bargain.share.shareUrl, t('bg.title'))}`));
  const open = bargain.status === 'open';
  return html`
    <section class="card bg" data-testid="bargain" data-status=${bargain.status}>
      <h1 class="gb-title">${bargain.mine ? t('bg.mine') : t('bg.title')}</h1>
      <div class="me-progress" role="progressbar" aria-valuenow=${pct} aria-valuemin="0" aria-valuemax="100">
        <span style=${`width:${pct}%`}></span>
      </div>
      <p>${t('bg.helpers', { n: bargain.helpers })}</p>
      ${bargain.nextRung && html`<p class="muted">${t('bg.next', { n: bargain.nextRung.needed })}</p>`}
      <${Ladder} bargain=${bargain} />
      ${open && html`<p class="gb-time" role="timer">${t('bg.left', { time: left })}</p>`}
      ${bargain.status === 'done' && html`<p class="rf-ok">${t('bg.done')}</p>`}
      ${bargain.status === 'expired' && html`<p class="muted">${t('bg.over')}</p>`}
      ${
        open &&
        !bargain.mine &&
        !bargain.youHelped &&
        html`<button class="btn wide" disabled=${busy} onClick=${help} data-testid="help-bargain">${t('bg.help')}</button>`
      }
      ${bargain.youHelped && !note && html`<p class="rf-ok">${t('bg.helped')}</p>`}
      ${open && html`<button class="btn secondary wide" onClick=${share}>${t('bg.share')}</button>`}
      ${note && html`<p class="muted" role="status">${note}</p>`}
      ${error && html`<p class="error" role="alert">${error}</p>`}
    </section>
  `;
}

export default function Bargain({ params }) {
  const session = useGuest();
  const [bargain, setBargain] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    if (!session) return;
    api.campaigns
      .getBargain({ campaignId: params.campaignId, bargainId: params.bargainId })
      .then(setBargain, (e) => setError(errorCode(e).endsWith('not_found') ? t('bg.missing') : t('offline')));
  }, [session?.token, params.bargainId]);
  if (!session) return html`<${SignInFirst} why=${t('bg.why')} />`;
  if (error) return html`<p class="empty">${error}</p>`;
  if (!bargain) return html`<p class="boot" role="status">${t('loading')}</p>`;
  return html`<${View} bargain=${bargain} onHelped=${setBargain} />`;
}

addStrings({
  zh: {
    'bg.title': '帮好友砍一刀',
    'bg.mine': '我的砍价',
    'bg.why': '登录后帮好友砍价',
    'bg.helpers': '已有 {n} 位好友帮砍',
    'bg.next': '再有 {n} 位好友帮砍，解锁下一档优惠',
    'bg.rung': '{n} 人',
    'bg.left': '剩余 {time}',
    'bg.help': '帮 TA 砍一刀',
    'bg.helped': '你已经帮砍过了',
    'bg.thanks': '砍价成功，谢谢你！',
    'bg.share': '邀请好友帮砍',
    'bg.shared': '已分享',
    'bg.copied': '链接已复制',
    'bg.done': '已砍到最低价',
    'bg.over': '砍价已结束',
    'bg.missing': '找不到这个砍价',
    'bg.no.self_help': '不能给自己砍价，邀请好友来帮忙吧',
    'bg.no.already_helped': '你已经帮砍过了',
    'bg.no.device_used': '这台设备已经帮砍过了',
    'bg.no.daily_limit': '今天帮砍次数已用完',
  },
  en: {
    'bg.title': 'Help a friend’s bargain',
    'bg.mine': 'My bargain',
    'bg.why': 'Sign in to help your friend',
    'bg.helpers': '{n} friends helped so far',
    'bg.next': '{n} more to unlock the next reward',
    'bg.rung': '{n} helpers',
    'bg.left': '{time} left',
    'bg.help': 'Help cut the price',
    'bg.helped': 'You helped already',
    'bg.thanks': 'Thanks for helping!',
    'bg.share': 'Ask friends to help',
    'bg.shared': 'Shared',
    'bg.copied': 'Link copied',
    'bg.done': 'The lowest price is reached',
    'bg.over': 'This bargain has ended',
    'bg.missing': 'No such bargain',
    'bg.no.self_help': 'You cannot help your own bargain; ask friends',
    'bg.no.already_helped': 'You helped already',
    'bg.no.device_used': 'This device helped already',
    'bg.no.daily_limit': 'No more helps today',
  },
});
