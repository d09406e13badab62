import { describe, expect, it } from 'vitest';
import {
  type Block,
  blockLines,
  COLUMNS,
  customerReceipt,
  displayWidth,
  formatYuan,
  kitchenTicket,
  type TicketOrder,
  type Width,
  wrap,
} from '../../domain/printers/receipt';
import { toPlainText } from '../../domain/printers/receipt-encoders';

const sampleOrder = (over: Partial<TicketOrder> = {}): TicketOrder => ({
  id: 'ord_3f9c2a7b1d4e5f60a1b2',
  ticketNo: 'A012',
  mode: 'dine_in',
  tableName: 'A3',
  createdAt: '2026-11-23T11:02:45+08:00',
  note: '少辣，不要香菜。Less spicy please',
  lines: [
    {
      name: '红烧牛肉面',
      specName: '大碗',
      options: [{ name: '加辣' }, { name: '加一份牛肉 Extra beef' }],
      quantity: 2,
      unitPrice: 2800,
      total: 5100,
      discount: 500,
    },
    {
      name: '凉拌黄瓜 Smashed cucumber salad with garlic and chilli oil',
      options: [],
      quantity: 1,
      unitPrice: 1200,
      total: 1200,
      discount: 0,
    },
  ],
  discounts: [{ name: '满50减5 Spend 50 save 5', amount: 500 }],
  itemsSubtotal: 6800,
  packingFee: 0,
  deliveryFee: 0,
  total: 6300,
  storeName: '老王面馆 人民广场店',
  orderUrl: 'https://tiffin.example/o/ord_3f9c2a7b1d4e5f60a1b2',
  ...over,
});

const texts = (blocks: Block[]) => blocks.flatMap((b) => (b.kind === 'text' ? [b.text] : []));

/** Printed width of every line a block produces, size multiplier included. */
function overWide(blocks: Block[], cols: number): string[] {
  return blocks.flatMap((b) =>
    blockLines(b, cols).filter((l) => displayWidth(l) * (b.kind === 'text' ? (b.size ?? 1) : 1) > cols),
  );
}

describe('display width and wrapping', () => {
  it('counts CJK, fullwidth and GB full-width symbols as two columns', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('红烧牛肉面')).toBe(10);
    expect(displayWidth('2 × 红烧')).toBe(9);
    expect(displayWidth('Ａ１')).toBe(4);
    expect(displayWidth('a\u001bb')).toBe(2);
  });

  it('breaks Chinese between characters but keeps closing punctuation with the word before', () => {
    expect(wrap('红烧牛肉面大碗加辣', 8)).toEqual(['红烧牛肉', '面大碗加', '辣']);
    const lines = wrap('少辣，不要香菜。', 6);
    expect(lines).toEqual(['少辣，', '不要香', '菜。']);
    expect(lines.every((l) => !l.startsWith('，') && !l.startsWith('。'))).toBe(true);
  });

  it('moves Latin words whole and splits only words wider than the line', () => {
    expect(wrap('Braised beef noodle soup', 10)).toEqual(['Braised', 'beef', 'noodle', 'soup']);
    expect(wrap('https://tiffin.example/o/1', 10)).toEqual(['https://ti', 'ffin.examp', 'le/o/1']);
    expect(wrap('第一行\n第二行', 20)).toEqual(['第一行', '第二行']);
  });

  it('strips control characters so order text cannot carry printer commands', () => {
    expect(wrap('加辣\u001b@\u001dV\u0000', 20)).toEqual(['加辣@V']);
  });
});

describe.each([58, 80] as Width[])('layouts at %i mm', (width) => {
  const cols = COLUMNS[width];
  const order = sampleOrder();

  it('no line of the kitchen ticket or the receipt is wider than the paper', () => {
    expect(overWide(kitchenTicket(order, { width, station: '热菜 Hot', reprint: true, addOn: true }), cols)).toEqual(
      [],
    );
    expect(overWide(customerReceipt(order, { width, reprint: true }), cols)).toEqual([]);
    for (const blocks of [kitchenTicket(order, { width }), customerReceipt(order, { width })]) {
      const lines = toPlainText(blocks, width).split('\n');
      expect(lines.filter((l) => displayWidth(l) > cols)).toEqual([]);
    }
  });

  it('the kitchen ticket leads with the ticket number at triple size, then mode and table', () => {
    const blocks = kitchenTicket(order, { width });
    expect(blocks[0]).toEqual({ kind: 'text', text: 'A012', align: 'center', bold: true, size: 3 });
    expect(blocks[1]).toMatchObject({ kind: 'text', text: '堂食 桌 A3', size: 2 });
    expect(texts(blocks)).toEqual(expect.arrayContaining(['下单 2026-11-23 11:02', 'ord_3f9c2a7b1d4e5f60a1b2']));
  });

  it('kitchen lines read "2 × 红烧牛肉面 大碗" with options indented and no prices', () => {
    const blocks = kitchenTicket(order, { width });
    const all = texts(blocks).join('\n');
    expect(all).toContain('2 × 红烧牛肉面');
    expect(texts(blocks).some((t) => t.startsWith('  + 加辣'))).toBe(true);
    expect(all).not.toMatch(/\d+\.\d\d/);
  });

  it('the note is emphasised: bold at double size', () => {
    const note = kitchenTicket(order, { width }).filter((b) => b.kind === 'text' && b.size === 2 && b.bold);
    expect(texts(note).join('')).toContain('少辣，');
  });
});

describe('kitchen ticket variants', () => {
  it('an add-on ticket carries the 加菜 banner and only the lines it was given', () => {
    const blocks = kitchenTicket(sampleOrder(), { width: 80, addOn: true, lines: [1] });
    const all = texts(blocks).join('\n');
    expect(texts(blocks)[0]).toBe('加菜 ADD-ON');
    expect(all).toContain('凉拌黄瓜');
    expect(all).not.toContain('红烧牛肉面');
    expect(all).not.toContain('加辣');
  });

  it('a reprint starts with a REPRINT banner, before the add-on banner', () => {
    const blocks = kitchenTicket(sampleOrder(), { width: 58, reprint: true, addOn: true });
    expect(blocks[0]).toEqual({ kind: 'text', text: '重打 REPRINT', align: 'center', bold: true, size: 2 });
    expect(texts(blocks)[1]).toBe('加菜 ADD-ON');
    expect(texts(kitchenTicket(sampleOrder(), { width: 58 })).join()).not.toContain('REPRINT');
  });

  it('pickup shows the pickup time, delivery the address', () => {
    const pickup = kitchenTicket(sampleOrder({ mode: 'pickup', pickupAt: '2026-11-23T12:30:00+08:00' }), {
      width: 80,
    });
    expect(texts(pickup)).toContain('自取 12:30');
    const later = kitchenTicket(sampleOrder({ mode: 'pickup', pickupAt: '2026-11-24T09:00:00+08:00' }), {
      width: 80,
    });
    expect(texts(later)).toContain('自取 2026-11-24 09:00');
    const delivery = kitchenTicket(sampleOrder({ mode: 'delivery', deliveryAddress: '南京东路 100 号 3 楼' }), {
      width: 80,
    });
    expect(texts(delivery)).toEqual(expect.arrayContaining(['外送 Delivery', '南京东路 100 号 3 楼']));
  });
});

describe('customer receipt', () => {
  const receipt = customerReceipt(sampleOrder({ packingFee: 200, deliveryFee: 500, total: 7000 }), { width: 80 });
  const rows = receipt.flatMap((b) => (b.kind === 'row' ? [b] : []));

  it('formats cents as yuan exactly', () => {
    expect(formatYuan(2800)).toBe('28.00');
    expect(formatYuan(5)).toBe('0.05');
    expect(formatYuan(123456)).toBe('1234.56');
    expect(formatYuan(-500)).toBe('-5.00');
    expect(formatYuan(0)).toBe('0.00');
    expect(() => formatYuan(28.5)).toThrow(RangeError);
  });

  it('lines show quantity and their pre-discount amount; discounts, fees and a bold total follow', () => {
    expect(rows).toEqual(
      expect.arrayContaining([
        { kind: 'row', left: '2 × 红烧牛肉面 大碗', right: '56.00' },
        { kind: 'row', left: '小计 Subtotal', right: '68.00' },
        { kind: 'row', left: '满50减5 Spend 50 save 5', right: '-5.00' },
        { kind: 'row', left: '打包费 Packing', right: '2.00' },
        { kind: 'row', left: '配送费 Delivery', right: '5.00' },
        { kind: 'row', left: '合计 Total', right: '70.00', bold: true },
      ]),
    );
  });

  it('has the store name large, the ticket number, a QR code of the order URL and ends with a cut', () => {
    expect(receipt[0]).toMatchObject({ kind: 'text', text: '老王面馆 人民广场店', size: 2, bold: true });
    expect(texts(receipt)).toContain('取餐号 A012');
    expect(receipt).toContainEqual({ kind: 'qr', data: 'https://tiffin.example/o/ord_3f9c2a7b1d4e5f60a1b2' });
    expect(receipt.at(-1)).toEqual({ kind: 'cut' });
    expect(texts(customerReceipt(sampleOrder(), { width: 58, reprint: true }))).toContain('** 重打 REPRINT **');
  });

  it('a long item name wraps under itself with the amount on the first line', () => {
    const text = toPlainText(customerReceipt(sampleOrder(), { width: 58 }), 58);
    expect(text).toContain('1 × 凉拌黄瓜 Smashed      12.00\n  cucumber salad with garlic\n  and chilli oil\n');
  });
});
