// A group buy someone shared (`/g/{campaignId}/{groupId}`): the group, places taken, time
// left, and join with one of the guest's paid orders holding the group's dish (or order it
// first). The join that fills the group pays every member their part back.
import { html, useEffect, useState } from '/lib/ui.js';
import { deviceId, SignInFirst, shareLink, useGuest, useTimeLeft } from '../account.js';
import { api, errorCode } from '../api.js';
import { addStrings, t } from '../i18n.js';
import './account-styles.js';

/** Orders that may take a seat: paid, not cancelled, with the group's dish. */
const SEATABLE = new Set(['paid', 'accepted', 'preparing', 'ready', 'served', 'picked_up', 'delivering', 'completed']);

const REFUSALS = ['already_in_group', 'device_used', 'daily_limit', 'order_not_eligible'];

function failure(e) {
  const code = errorCode(e);
  const reason = e.problem?.reason;
  if (code === 'group.refused' && REFUSALS.includes(reason)) return t(`gb.no.${reason}`);
  if (code === 'group.full') return t('gb.full');
  if (code === 'group.expired' || code === 'campaign.not_running') return t('gb.over');
  return t('offline');
}

function Seats({ group }) {
  return html`
    <div class="gb-seats" aria-label=${t('gb.places', { joined: group.joined, size: group.size })}>
      ${Array.from({ length: group.size }, (_, i) => html`<span class=${i < group.joined ? 'gb-seat on' : 'gb-seat'}></span>`)}
    </div>
  `;
}

function Group({ group, onJoined }) {
  const left = useTimeLeft(group.expiresAt);
  const [orders, setOrders] = useState(null);
  const [error, setError] = useState(null);
  const [note, setNote] = useState(null);
  const open = group.status === 'open' && !group.youAreIn;
  useEffect(() => {
    if (!open) return;
    api.orders.mine({ limit: 20 }).then(
      (page) =>
        setOrders(
          page.items.filter((o) => SEATABLE.has(o.status) && o.lines.some((l) => l.itemId === group.reward.itemId)),
        ),
      () => setOrders([]),
    );
  }, [open]);
  const join = async (orderId) => {
    setError(null);
    try {
      onJoined(await api.campaigns.createMember({ ...ids(group), body: { orderId, deviceId: deviceId() } }));
    } catch (e) {
      setError(failure(e));
    }
  };
  const share = async () => setNote(t(`gb.${await shareLink(group.share.shareUrl, t('gb.title'))}`));
  return html`
    <section class="card gb" data-testid="group-buy" data-status=${group.status}>
      <h1 class="gb-title">${t('gb.title')}</h1>
      <p class="gb-reward">${t('gb.reward', { pct: group.reward.percentOff })}</p>
      <${Seats} group=${group} />
      <p>${t('gb.places', { joined: group.joined, size: group.size })}</p>
      ${group.status === 'open' && html`<p class="gb-time" role="timer">${t('gb.left', { time: left })}</p>`}
      ${group.status === 'filled' && html`<p class="rf-ok">${t('gb.filled')}</p>`}
      ${group.status === 'failed' && html`<p class="muted">${t('gb.failed')}</p>`}
      ${group.youAreIn && html`<p class="rf-ok">${t('gb.youAreIn')}</p>`}
      ${open && orders === null && html`<p class="boot" role="status">${t('loading')}</p>`}
      ${
        open &&
        orders?.map(
          (o) =>
            html`<button class="btn wide" onClick=${() => join(o.id)} data-testid="join-group">${t('gb.joinWith', { ticket: o.ticketNo })}</button>`,
        )
      }
      ${open && orders?.length === 0 && html`<p class="muted">${t('gb.orderFirst')}</p><a class="btn wide" href="/">${t('gb.goOrder')}</a>`}
      ${group.status === 'open' && html`<button class="btn secondary wide" onClick=${share}>${t('gb.share')}</button>`}
      ${note && html`<p class="muted" role="status">${note}</p>`}
      ${error && html`<p class="error" role="alert">${error}</p>`}
    </section>
  `;
}

const ids = (g) => ({ campaignId: g.campaignId, groupId: g.id });

export default function GroupBuy({ params }) {
  const session = useGuest();
  const [group, setGroup] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    if (!session) return;
    api.campaigns
      .getGroup({ campaignId: params.campaignId, groupId: params.groupId })
      .then(setGroup, (e) => setError(errorCode(e).endsWith('not_found') ? t('gb.missing') : t('offline')));
  }, [session?.token, params.groupId]);
  if (!session) return html`<${SignInFirst} why=${t('gb.why')} />`;
  if (error) return html`<p class="empty">${error}</p>`;
  if (!group) return html`<p class="boot" role="status">${t('loading')}</p>`;
  return html`<${Group} group=${group} onJoined=${setGroup} />`;
}

addStrings({
  zh: {
    'gb.title': '拼团',
    'gb.why': '登录后查看拼团并加入',
    'gb.reward': '拼团成功，返还团购菜品 {pct}% 的金额',
    'gb.places': '已有 {joined}/{size} 人参团',
    'gb.left': '剩余 {time}',
    'gb.filled': '拼团成功！',
    'gb.failed': '拼团未成功，已按原价处理',
    'gb.youAreIn': '你已在团中',
    'gb.joinWith': '用订单 {ticket} 参团',
    'gb.orderFirst': '先点一份团购菜品并支付，再回来参团',
    'gb.goOrder': '去点餐',
    'gb.share': '邀请好友参团',
    'gb.shared': '已分享',
    'gb.copied': '链接已复制',
    'gb.full': '这个团已经满了',
    'gb.over': '这个团已经结束了',
    'gb.missing': '找不到这个团',
    'gb.no.already_in_group': '这笔订单已经在团里了',
    'gb.no.device_used': '这台设备已经参加过这个团',
    'gb.no.daily_limit': '今天参团次数已用完',
    'gb.no.order_not_eligible': '这笔订单不能参加这个团',
  },
  en: {
    'gb.title': 'Group buy',
    'gb.why': 'Sign in to see the group and join',
    'gb.reward': 'When the group fills, {pct}% of the group dish comes back to each member',
    'gb.places': '{joined} of {size} joined',
    'gb.left': '{time} left',
    'gb.filled': 'The group is full!',
    'gb.failed': 'The group did not fill in time',
    'gb.youAreIn': 'You are in this group',
    'gb.joinWith': 'Join with order {ticket}',
    'gb.orderFirst': 'Order and pay for the group dish first, then come back to join',
    'gb.goOrder': 'Order now',
    'gb.share': 'Invite friends',
    'gb.shared': 'Shared',
    'gb.copied': 'Link copied',
    'gb.full': 'This group is full',
    'gb.over': 'This group has ended',
    'gb.missing': 'No such group',
    'gb.no.already_in_group': 'This order is already in a group',
    'gb.no.device_used': 'This device already joined this group',
    'gb.no.daily_limit': 'No more joins today',
    'gb.no.order_not_eligible': 'This order cannot join this group',
  },
});
