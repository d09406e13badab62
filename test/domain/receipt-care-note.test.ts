import { describe, expect, it } from 'vitest';
import { customerReceipt, kitchenTicket, type TicketOrder } from '../../domain/printers/receipt';

const delivery = (careNote: string | null): TicketOrder => ({
  id: 'ord_3f9c2a7b1d4e5f60a1b2',
  ticketNo: 'C007',
  mode: 'delivery',
  deliveryAddress: '1100 m',
  careNote,
  createdAt: '2026-11-23T11:02:45+08:00',
  note: null,
  lines: [{ name: '馄饨汤', options: [], quantity: 1, unitPrice: 1800, total: 1800, discount: 0 }],
  discounts: [],
  itemsSubtotal: 1800,
  packingFee: 100,
  deliveryFee: 300,
  total: 2200,
  storeName: '人民广场店',
  orderUrl: 'https://tiffin.example/o/ord_3f9c2a7b1d4e5f60a1b2',
});

const texts = (blocks: { kind: string; text?: string }[]) => blocks.flatMap((b) => (b.kind === 'text' ? [b.text] : []));

describe('the special-care note on paper', () => {
  it('prints in bold on the kitchen ticket and the delivery receipt, where the rider picks the bag up', () => {
    for (const blocks of [
      kitchenTicket(delivery('汤汁 / soup'), { width: 80 }),
      customerReceipt(delivery('汤汁 / soup'), { width: 80 }),
    ]) {
      const printed = texts(blocks).join('').replace(/\s/g, '');
      expect(printed).toContain('特别关照CARE:汤汁/soup');
      expect(blocks.find((b) => b.kind === 'text' && b.text.includes('特别关照'))).toMatchObject({ bold: true });
    }
  });

  it('prints nothing without one', () => {
    expect(texts(customerReceipt(delivery(null), { width: 58 })).join('\n')).not.toContain('CARE');
  });
});
