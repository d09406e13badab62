/*
 * Splitting a table's bill. Every amount is a line total already fixed by the pricing
 * engine (discounts allocated to lines), so the parts always add up to the bill exactly.
 */

export interface BillRound {
  orderId: string;
  /** Who added this round: `member:mem_…` or `staff:stf_…`. */
  addedBy: string;
  lines: { index: number; name: string; quantity: number; total: number }[];
  /** Order-level charges (packing, delivery) that belong to no line. */
  fees: number;
  total: number;
}

export interface BillPart {
  key: string;
  label: string;
  amount: number;
  items: { orderId: string; line: number; name: string; quantity: number; amount: number }[];
}

export interface Bill {
  total: number;
  parts: BillPart[];
}

/**
 * Splits rounds by diner (each pays what they added, fees with their round) or by line
 * (one part per line, fees as their own part). Diners are labelled in order of arrival.
 */
export function splitBill(rounds: BillRound[], by: 'diner' | 'line', dinerLabels: Map<string, string>): Bill {
  const total = rounds.reduce((s, r) => s + r.total, 0);
  if (by === 'diner') {
    const parts = new Map<string, BillPart>();
    for (const r of rounds) {
      const part = parts.get(r.addedBy) ?? {
        key: r.addedBy,
        label: dinerLabels.get(r.addedBy) ?? r.addedBy,
        amount: 0,
        items: [],
      };
      for (const l of r.lines) {
        part.items.push({ orderId: r.orderId, line: l.index, name: l.name, quantity: l.quantity, amount: l.total });
      }
      part.amount += r.total;
      parts.set(r.addedBy, part);
    }
    return { total, parts: [...parts.values()] };
  }
  const parts: BillPart[] = rounds.flatMap((r) =>
    r.lines.map((l) => ({
      key: `${r.orderId}#${l.index}`,
      label: `${l.name} × ${l.quantity}`,
      amount: l.total,
      items: [{ orderId: r.orderId, line: l.index, name: l.name, quantity: l.quantity, amount: l.total }],
    })),
  );
  const fees = rounds.reduce((s, r) => s + r.fees, 0);
  if (fees > 0) parts.push({ key: 'fees', label: 'Fees', amount: fees, items: [] });
  return { total, parts };
}
