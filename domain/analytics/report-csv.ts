import { type CsvCell, toCsv, yuanCell } from '../csv-export';
import type { KpiFields } from './kpis';
import type { KpiTargets } from './targets';

/*
 * The KPI reports as spreadsheets: one header row, snake_case names, money in yuan with two
 * decimals (columns end in `_yuan`), rates as fractions (0.4 = 40 %), empty cells for null.
 */

const KPI_HEADER = [
  'revenue_yuan',
  'refunds_yuan',
  'net_revenue_yuan',
  'orders',
  'guests',
  'average_order_value_yuan',
  'average_per_guest_yuan',
  'discount_total_yuan',
  'table_seatings',
  'table_days',
  'table_turns',
  'fantai_rate',
  'average_turn_minutes',
  'repurchase_rate_30d',
  'member_activity_rate',
  'points_consumption_rate',
  'coupon_redemption_rate',
  'new_members',
  'active_members',
];

function kpiCells(k: KpiFields): CsvCell[] {
  return [
    yuanCell(k.revenue),
    yuanCell(k.refunds),
    yuanCell(k.netRevenue),
    k.orders,
    k.guests,
    yuanCell(k.averageOrderValue),
    yuanCell(k.averagePerGuest),
    yuanCell(k.discountTotal),
    k.tableTurnover.seatings,
    k.tableTurnover.tables,
    k.tableTurnover.turns,
    k.tableTurnover.fantaiRate,
    k.tableTurnover.averageTurnMinutes,
    k.repurchaseRate30d,
    k.memberActivityRate,
    k.pointsConsumptionRate,
    k.couponRedemptionRate,
    k.newMembers,
    k.activeMembers,
  ];
}

export function summaryCsv(s: KpiFields & { from: string; to: string; stores: string[]; targets: KpiTargets }) {
  return toCsv(
    [
      'from',
      'to',
      'stores',
      ...KPI_HEADER,
      'target_repurchase_rate_30d',
      'target_member_activity_rate',
      'target_points_consumption_rate',
    ],
    [
      [
        s.from,
        s.to,
        s.stores.join(' '),
        ...kpiCells(s),
        s.targets.repurchaseRate30d,
        s.targets.memberActivityRate,
        s.targets.pointsConsumptionRate,
      ],
    ],
  );
}

export function dailyCsv(d: { items: (KpiFields & { storeId: string; day: string })[] }) {
  return toCsv(
    ['store_id', 'day', ...KPI_HEADER],
    d.items.map((row) => [row.storeId, row.day, ...kpiCells(row)]),
  );
}

export interface ItemRow {
  rank: number;
  itemId: string;
  name: string;
  quantity: number;
  revenue: number;
  share: number;
  refunds: number;
  refundQuantity: number;
  averageRating: number | null;
}

export function itemsCsv(d: { items: ItemRow[] }) {
  return toCsv(
    [
      'rank',
      'item_id',
      'name',
      'quantity',
      'revenue_yuan',
      'share',
      'refunds_yuan',
      'refund_quantity',
      'average_rating',
    ],
    d.items.map((i) => [
      i.rank,
      i.itemId,
      i.name,
      i.quantity,
      yuanCell(i.revenue),
      i.share,
      yuanCell(i.refunds),
      i.refundQuantity,
      i.averageRating,
    ]),
  );
}

export function hoursCsv(d: { cells: { weekday: number; hour: number; orders: number; revenue: number }[] }) {
  return toCsv(
    ['weekday', 'hour', 'orders', 'revenue_yuan'],
    d.cells.map((c) => [c.weekday, c.hour, c.orders, yuanCell(c.revenue)]),
  );
}

export interface StoreRow {
  rank: number;
  storeId: string;
  name: string;
  netRevenue: number;
  orders: number;
  averageOrderValue: number | null;
  repurchaseRate30d: number | null;
  change: { netRevenue: number | null; orders: number | null; averageOrderValue: number | null };
}

export function storesCsv(d: { items: StoreRow[] }) {
  return toCsv(
    [
      'rank',
      'store_id',
      'name',
      'net_revenue_yuan',
      'orders',
      'average_order_value_yuan',
      'repurchase_rate_30d',
      'change_net_revenue',
      'change_orders',
      'change_average_order_value',
    ],
    d.items.map((s) => [
      s.rank,
      s.storeId,
      s.name,
      yuanCell(s.netRevenue),
      s.orders,
      yuanCell(s.averageOrderValue),
      s.repurchaseRate30d,
      s.change.netRevenue,
      s.change.orders,
      s.change.averageOrderValue,
    ]),
  );
}
