import { describe, expect, it } from 'vitest';
// @ts-expect-error: the kitchen page's modules are plain browser ES modules without type declarations
import * as untyped from '../../web/kitchen/announce-text.js';

interface Item {
  name: string;
  quantity: number;
  spec?: string | null;
  status?: string;
}
interface Ticket {
  ticketNo: string;
  mode: string;
  table: string | null;
  addOn?: boolean;
  priority?: boolean;
  items: Item[];
}
const { chineseCount, announcement } = untyped as {
  chineseCount(n: number): string;
  announcement(kind: string, ticket: Ticket | null): string | null;
};

const pickup = (items: Item[], extra: Partial<Ticket> = {}): Ticket => ({
  ticketNo: 'B012',
  mode: 'pickup',
  table: null,
  items,
  ...extra,
});

describe('the kitchen display says the order in Mandarin', () => {
  it('counts dishes as a cook would say them', () => {
    const said = [1, 2, 3, 10, 11, 12, 20, 22, 100, 105, 110, 200, 202, 1000, 1002, 2000, 2019].map(chineseCount);
    expect(said).toEqual([
      '一',
      '两',
      '三',
      '十',
      '十一',
      '十二',
      '二十',
      '二十二',
      '一百',
      '一百零五',
      '一百一十',
      '两百',
      '两百零二',
      '一千',
      '一千零二',
      '两千',
      '两千零一十九',
    ]);
  });

  it('a new pickup order: 新订单，B012，两份锅贴', () => {
    expect(announcement('created', pickup([{ name: '锅贴', quantity: 2 }]))).toBe('新订单，B012，两份锅贴');
  });

  it('several dishes with their sizes, the table of a dine-in order, a second round, a priority guest', () => {
    const items = [
      { name: '葱油拌面', quantity: 1, spec: '大份' },
      { name: '拍黄瓜', quantity: 3 },
    ];
    expect(announcement('created', pickup(items))).toBe('新订单，B012，一份葱油拌面（大份）、三份拍黄瓜');
    expect(announcement('created', pickup(items, { mode: 'dine_in', table: 'A3' }))).toBe(
      '新订单，B012，A3桌，一份葱油拌面（大份）、三份拍黄瓜',
    );
    expect(announcement('created', pickup([{ name: '锅贴', quantity: 1 }], { addOn: true }))).toBe(
      '加菜，B012，一份锅贴',
    );
    expect(announcement('created', pickup([{ name: '锅贴', quantity: 1 }], { priority: true }))).toBe(
      '新订单，优先，B012，一份锅贴',
    );
  });

  it('a long order reads four dishes and the total', () => {
    const items = ['锅贴', '拍黄瓜', '炸酱面', '凉面', '豆浆', '茶叶蛋'].map((name) => ({ name, quantity: 2 }));
    expect(announcement('created', pickup(items))).toBe(
      '新订单，B012，两份锅贴、两份拍黄瓜、两份炸酱面、两份凉面，等共十二份',
    );
  });

  it('an urge names what is still to cook; a cancellation names the ticket', () => {
    const items = [
      { name: '锅贴', quantity: 2, status: 'done' },
      { name: '炸酱面', quantity: 1, status: 'queued' },
    ];
    expect(announcement('urged', pickup(items))).toBe('催单，B012，一份炸酱面');
    expect(announcement('cancelled', pickup(items, { mode: 'dine_in', table: '5' }))).toBe('订单取消，B012，5桌');
    expect(announcement('bumped', pickup(items))).toBeNull();
    expect(announcement('created', null)).toBeNull();
  });
});
