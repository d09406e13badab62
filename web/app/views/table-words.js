// Words of the table pages (the table view and its shared rounds), and how a table is named:
// "A1号桌 · 大厅" / "Table A1 · Hall".
import { addStrings, t } from '../i18n.js';

addStrings({
  zh: {
    'tbl.title': '{name}号桌',
    'tbl.titlePlain': '{name}',
    'tbl.area.hall': '大厅',
    'tbl.area.window': '靠窗',
    'tbl.area.private room': '包间',
    'tbl.area.main': '大厅',
    'tbl.area.terrace': '露台',
    'tbl.seated': '已入座，扫码点餐，同桌共享已点',
    'tbl.order': '去点餐',
    'tbl.leave': '离开本桌',
    'tbl.left': '你已不在本桌入座。',
    'tbl.rejoin': '重新入座',
    'tbl.browseHint': '无需登录即可浏览菜单，下单时再登录。',
    'tbl.signIn': '登录查看本桌已点',
    'tbl.unknown': '这个桌码已失效或不存在。',
    'tbl.unknownHint': '桌码可能已更换，请扫描桌上最新的二维码，或请店员帮忙。',
    'tbl.home': '看看附近门店',
    'tbl.settled': '本桌已结账，欢迎再来！',
    'tbl.settledHint': '再次用餐请重新扫描桌上的二维码。',
    'tbl.rounds': '本桌已点',
    'tbl.noRounds': '本桌还没有人下单，点第一轮吧。',
    'tbl.round': '第 {n} 轮',
    'tbl.me': '我',
    'tbl.diner': '食客 {n}',
    'tbl.staff': '服务员',
    'tbl.total': '本桌合计',
    'tbl.unpaid': '待付 {amount}',
    'tbl.note': '备注：{note}',
    'tbl.invoice': '发票：{title}',
    'tbl.refreshing': '每几秒自动更新',
    'tbl.status.placed': '已下单',
    'tbl.status.pending_payment': '待支付',
    'tbl.status.paid': '已支付',
    'tbl.status.accepted': '已接单',
    'tbl.status.preparing': '制作中',
    'tbl.status.ready': '已出餐',
    'tbl.status.served': '已上桌',
    'tbl.status.picked_up': '已取餐',
    'tbl.status.delivering': '配送中',
    'tbl.status.completed': '已完成',
    'tbl.status.cancel_requested': '申请取消中',
    'tbl.status.cancelled': '已取消',
    'tbl.status.refunded': '已退款',
  },
  en: {
    'tbl.title': 'Table {name}',
    'tbl.titlePlain': '{name}',
    'tbl.area.hall': 'Hall',
    'tbl.area.window': 'Window',
    'tbl.area.private room': 'Private room',
    'tbl.area.main': 'Hall',
    'tbl.area.terrace': 'Terrace',
    'tbl.seated': 'You are seated: order from your phone, the table shares its rounds',
    'tbl.order': 'Order',
    'tbl.leave': 'Leave the table',
    'tbl.left': 'You are no longer seated at this table.',
    'tbl.rejoin': 'Sit here again',
    'tbl.browseHint': 'Browse the menu without signing in; sign in when you order.',
    'tbl.signIn': "Sign in to see the table's rounds",
    'tbl.unknown': 'This table code is no longer valid.',
    'tbl.unknownHint': 'The code may have been replaced: scan the one on your table now, or ask the staff.',
    'tbl.home': 'Stores nearby',
    'tbl.settled': 'The bill is settled. Thank you!',
    'tbl.settledHint': 'Scan the code on the table again to start a new meal.',
    'tbl.rounds': 'Ordered at this table',
    'tbl.noRounds': 'Nobody has ordered yet: start the first round.',
    'tbl.round': 'Round {n}',
    'tbl.me': 'Me',
    'tbl.diner': 'Diner {n}',
    'tbl.staff': 'Staff',
    'tbl.total': 'Table total',
    'tbl.unpaid': '{amount} to pay',
    'tbl.note': 'Note: {note}',
    'tbl.invoice': 'Invoice: {title}',
    'tbl.refreshing': 'Updates every few seconds',
    'tbl.status.placed': 'Placed',
    'tbl.status.pending_payment': 'Awaiting payment',
    'tbl.status.paid': 'Paid',
    'tbl.status.accepted': 'Accepted',
    'tbl.status.preparing': 'Preparing',
    'tbl.status.ready': 'Ready',
    'tbl.status.served': 'Served',
    'tbl.status.picked_up': 'Picked up',
    'tbl.status.delivering': 'On the way',
    'tbl.status.completed': 'Completed',
    'tbl.status.cancel_requested': 'Cancellation requested',
    'tbl.status.cancelled': 'Cancelled',
    'tbl.status.refunded': 'Refunded',
  },
});

/** "A1号桌 · 大厅": a short code reads as a table number, a named table ("窗边雅座") as itself. */
export function tableLabel(name, area) {
  const title = t(/^[A-Za-z0-9-]{1,6}$/.test(name) ? 'tbl.title' : 'tbl.titlePlain', { name });
  if (!area) return title;
  const key = `tbl.area.${area}`;
  const place = t(key);
  return `${title} · ${place === key ? area : place}`;
}

/** A round's status in words; an unknown code is shown as it is. */
export function statusLabel(status) {
  const key = `tbl.status.${status}`;
  const s = t(key);
  return s === key ? status : s;
}

/** Who added a round: "我" for the reader's own, "食客 2" / "服务员" for the others. */
export function whoLabel(round) {
  // The server names another diner only by label (`diner:N`): a `member:` key is the reader's own.
  if (round.addedBy.startsWith('member:')) return t('tbl.me');
  if (round.addedByLabel === 'Staff') return t('tbl.staff');
  const n = /(\d+)$/.exec(round.addedByLabel)?.[1];
  return n ? t('tbl.diner', { n }) : round.addedByLabel;
}
