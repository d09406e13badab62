// What the kitchen display says aloud, in Mandarin: pure functions from a ticket to a
// sentence ("新订单，B012，两份锅贴"), so they are tested without a browser.

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
const UNITS = ['', '十', '百', '千'];

/**
 * A count as spoken before a measure word: 1 一, 2 两, 10 十, 12 十二, 20 二十, 105 一百零五,
 * 200 两百, 2000 两千. Up to 9999; larger counts are read as digits.
 */
export function chineseCount(n) {
  if (!Number.isInteger(n) || n < 0) return String(n);
  if (n === 0) return '零';
  if (n === 2) return '两';
  if (n > 9999) return String(n);
  const digits = String(n).split('').map(Number);
  let out = '';
  let zero = false;
  digits.forEach((d, i) => {
    const unit = digits.length - 1 - i;
    if (d === 0) {
      zero = out !== '';
      return;
    }
    if (zero) out += '零';
    zero = false;
    // 十二 not 一十二; 两百 and 两千 as people say them.
    const leading = out === '';
    if (!(leading && d === 1 && unit === 1)) out += leading && d === 2 && unit >= 2 ? '两' : DIGITS[d];
    out += UNITS[unit];
  });
  return out;
}

/** At most this many dishes are read out; the rest are summed up ("等共八份"). */
const MAX_LINES = 4;

function dishes(items) {
  const said = items.slice(0, MAX_LINES).map((i) => {
    const spec = i.spec ? `（${i.spec}）` : '';
    return `${chineseCount(i.quantity)}份${i.name}${spec}`;
  });
  const total = items.reduce((n, i) => n + i.quantity, 0);
  return items.length > MAX_LINES ? `${said.join('、')}，等共${chineseCount(total)}份` : said.join('、');
}

/** Where the order goes, when it is worth saying: the table of a dine-in order. */
const where = (t) => (t.mode === 'dine_in' && t.table ? `${t.table}桌` : '');

/**
 * The sentence for a kitchen event, or `null` when there is nothing to say.
 * `kind`: `created` (a new order, or a new round of an open table: 加菜), `urged`, `cancelled`.
 */
export function announcement(kind, ticket) {
  if (!ticket) return null;
  const parts = [];
  if (kind === 'created') {
    parts.push(ticket.addOn ? '加菜' : ticket.priority ? '新订单，优先' : '新订单', ticket.ticketNo, where(ticket));
    parts.push(dishes(ticket.items ?? []));
  } else if (kind === 'urged') {
    const left = (ticket.items ?? []).filter((i) => i.status !== 'done');
    parts.push('催单', ticket.ticketNo, where(ticket), dishes(left));
  } else if (kind === 'cancelled') {
    parts.push('订单取消', ticket.ticketNo, where(ticket));
  } else {
    return null;
  }
  return parts.filter(Boolean).join('，');
}
