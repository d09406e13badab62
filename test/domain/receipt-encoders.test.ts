import { describe, expect, it } from 'vitest';
import {
  type Block,
  customerReceipt,
  kitchenTicket,
  type TicketOrder,
  type Width,
} from '../../domain/printers/receipt';
import { encodeGb18030, toEscPos, toPlainText, toStarPrnt } from '../../domain/printers/receipt-encoders';

const order: TicketOrder = {
  id: 'ord_3f9c2a7b1d4e5f60a1b2',
  ticketNo: 'A012',
  mode: 'pickup',
  pickupAt: '2026-11-23T12:30:00+08:00',
  createdAt: '2026-11-23T11:02:45+08:00',
  note: '少辣，不要香菜',
  lines: [
    {
      name: '红烧牛肉面',
      specName: '大碗',
      options: [{ name: '加辣' }],
      quantity: 2,
      unitPrice: 2800,
      total: 5100,
      discount: 500,
    },
    { name: 'Iced lemon tea 冻柠茶', options: [], quantity: 1, unitPrice: 1200, total: 1200, discount: 0 },
  ],
  discounts: [{ name: '满50减5', amount: 500 }],
  itemsSubtotal: 6800,
  packingFee: 200,
  deliveryFee: 0,
  total: 6500,
  storeName: '老王面馆',
  orderUrl: 'https://tiffin.example/o/ord_3f9c2a7b1d4e5f60a1b2',
};

const hex = (bytes: ArrayLike<number>) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');

/** 24 bytes a line, so a snapshot diff points at the commands that moved. */
const hexdump = (bytes: Uint8Array) => {
  const rows: string[] = [];
  for (let i = 0; i < bytes.length; i += 24) rows.push(hex(bytes.subarray(i, i + 24)));
  return rows.join('\n');
};

const contains = (bytes: Uint8Array, seq: number[]) => hex(bytes).includes(hex(seq));

const GB_HONGSHAO_NIUROUMIAN = [0xba, 0xec, 0xc9, 0xd5, 0xc5, 0xa3, 0xc8, 0xe2, 0xc3, 0xe6];

describe('GB18030 encoding', () => {
  it('the runtime has a gb18030 TextDecoder (the table is built from it)', () => {
    expect(() => new TextDecoder('gb18030')).not.toThrow();
  });

  it('红烧牛肉面 is BA EC  C9 D5  C5 A3  C8 E2  C3 E6', () => {
    expect(encodeGb18030('红烧牛肉面')).toEqual(GB_HONGSHAO_NIUROUMIAN);
  });

  it('ASCII passes through, GB symbols are two bytes, the rest and controls become ?', () => {
    expect(encodeGb18030('A1 x')).toEqual([0x41, 0x31, 0x20, 0x78]);
    expect(encodeGb18030('×￥€')).toEqual([0xa1, 0xc1, 0xa3, 0xa4, 0xa2, 0xe3]);
    expect(encodeGb18030('😀¥\u001b')).toEqual([0x3f, 0x3f, 0x3f]);
  });
});

describe('ESC/POS', () => {
  it('a line of Chinese: init, Chinese mode, left align, GB bytes, LF', () => {
    const bytes = toEscPos([{ kind: 'text', text: '红烧牛肉面' }], 58);
    expect(Array.from(bytes)).toEqual([0x1b, 0x40, 0x1c, 0x26, 0x1b, 0x61, 0x00, ...GB_HONGSHAO_NIUROUMIAN, 0x0a]);
  });

  it('big bold centered text sets and resets GS ! / ESC E / ESC a', () => {
    const bytes = toEscPos([{ kind: 'text', text: 'A012', align: 'center', bold: true, size: 3 }], 80);
    expect(hex(bytes)).toMatchInlineSnapshot(
      `"1b 40 1c 26 1b 61 01 1b 45 01 1d 21 22 41 30 31 32 0a 1d 21 00 1b 45 00 1b 61 00"`,
    );
  });

  it('QR code: GS ( k functions 165, 167, 169, 180, 181, centered', () => {
    const bytes = toEscPos([{ kind: 'qr', data: 'AB' }], 58);
    expect(hex(bytes.subarray(4))).toBe(
      hex([
        ...[0x1b, 0x61, 0x01],
        ...[0x1d, 0x28, 0x6b, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00],
        ...[0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x43, 0x06],
        ...[0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x45, 0x31],
        ...[0x1d, 0x28, 0x6b, 0x05, 0x00, 0x31, 0x50, 0x30, 0x41, 0x42],
        ...[0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x51, 0x30],
        ...[0x0a, 0x1b, 0x61, 0x00],
      ]),
    );
  });

  it('feed is ESC d n and cut is GS V 66 0 (feed to the cutter, partial cut)', () => {
    const bytes = toEscPos([{ kind: 'feed', lines: 2 }, { kind: 'cut' }], 80);
    expect(hex(bytes)).toBe('1b 40 1c 26 1b 64 02 1d 56 42 00');
  });

  it('escape bytes in order text never reach the printer', () => {
    const bytes = toEscPos([{ kind: 'text', text: '加辣\u001b@\u001dV\u0001' }], 58);
    expect(hex(bytes.subarray(7))).toBe('bc d3 c0 b1 40 56 0a');
  });
});

describe('StarPRNT', () => {
  it('a line of Chinese: ESC @, ESC GS a 0, GB bytes, LF (no ESC/POS FS &)', () => {
    const bytes = toStarPrnt([{ kind: 'text', text: '红烧牛肉面' }], 58);
    expect(Array.from(bytes)).toEqual([0x1b, 0x40, 0x1b, 0x1d, 0x61, 0x00, ...GB_HONGSHAO_NIUROUMIAN, 0x0a]);
  });

  it('big bold centered text: ESC GS a 1, ESC E, ESC i 2 2 … ESC i 0 0, ESC F, ESC GS a 0', () => {
    const bytes = toStarPrnt([{ kind: 'text', text: 'A012', align: 'center', bold: true, size: 3 }], 80);
    expect(hex(bytes)).toMatchInlineSnapshot(
      `"1b 40 1b 1d 61 01 1b 45 1b 69 02 02 41 30 31 32 0a 1b 69 00 00 1b 46 1b 1d 61 00"`,
    );
  });

  it('QR code: ESC GS y S 0/1/2, ESC GS y D 1, ESC GS y P', () => {
    const bytes = toStarPrnt([{ kind: 'qr', data: 'AB' }], 80);
    expect(hex(bytes.subarray(2))).toBe(
      hex([
        ...[0x1b, 0x1d, 0x61, 0x01],
        ...[0x1b, 0x1d, 0x79, 0x53, 0x30, 0x02],
        ...[0x1b, 0x1d, 0x79, 0x53, 0x31, 0x01],
        ...[0x1b, 0x1d, 0x79, 0x53, 0x32, 0x08],
        ...[0x1b, 0x1d, 0x79, 0x44, 0x31, 0x00, 0x02, 0x00, 0x41, 0x42],
        ...[0x1b, 0x1d, 0x79, 0x50],
        ...[0x0a, 0x1b, 0x1d, 0x61, 0x00],
      ]),
    );
  });

  it('feed is LFs and cut is ESC d 3 (feed to the cutter, partial cut)', () => {
    const bytes = toStarPrnt([{ kind: 'feed', lines: 2 }, { kind: 'cut' }], 80);
    expect(hex(bytes)).toBe('1b 40 0a 0a 1b 64 03');
  });
});

describe.each([58, 80] as Width[])('a full receipt at %i mm', (width) => {
  const receipt = customerReceipt(order, { width });

  it('plain text', () => {
    expect(toPlainText(receipt, width)).toMatchSnapshot();
  });

  it('ESC/POS bytes', () => {
    const bytes = toEscPos(receipt, width);
    expect(contains(bytes, [0x1b, 0x40, 0x1c, 0x26])).toBe(true);
    expect(contains(bytes, GB_HONGSHAO_NIUROUMIAN)).toBe(true);
    expect(contains(bytes, [0x1d, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x51, 0x30])).toBe(true);
    expect(hex(bytes.subarray(-4))).toBe('1d 56 42 00');
    expect(hexdump(bytes)).toMatchSnapshot();
  });

  it('StarPRNT bytes', () => {
    const bytes = toStarPrnt(receipt, width);
    expect(contains(bytes, GB_HONGSHAO_NIUROUMIAN)).toBe(true);
    expect(contains(bytes, [0x1b, 0x1d, 0x79, 0x50])).toBe(true);
    expect(hex(bytes.subarray(-3))).toBe('1b 64 03');
    expect(hexdump(bytes)).toMatchSnapshot();
  });
});

it('a kitchen ticket in plain text never prints a price', () => {
  const blocks: Block[] = kitchenTicket(order, { width: 58, station: '热菜' });
  const text = toPlainText(blocks, 58);
  expect(text).toContain('2 × 红烧牛肉面');
  expect(text).not.toContain('56.00');
});
