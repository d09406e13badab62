import type { AlertKind } from '../../domain/alerts/evaluate';

/** What a manager reads in a push: the alert's name (Chinese first: the staff are in China). */
const TITLES: Record<string, string> = {
  order_success_rate: '下单成功率低 Order success low',
  placement_latency: '下单变慢 Ordering slow',
  printer_offline: '打印机离线 Printer offline',
  printer_jobs_stuck: '打印任务卡住 Print jobs stuck',
  kitchen_late: '出餐超时 Kitchen late',
};

export const alertTitle = (kind: string) => TITLES[kind] ?? kind;

/** "value / threshold" in the kind's unit: `91% < 95%`, `2300 ms > 1500 ms`, `300 s > 120 s`, `5 > 3`. */
export function alertValueText(kind: AlertKind | string, value: number, threshold: number): string {
  switch (kind) {
    case 'order_success_rate':
      return `${Math.round(value * 1000) / 10}% < ${Math.round(threshold * 1000) / 10}%`;
    case 'placement_latency':
      return `${Math.round(value)} ms > ${threshold} ms`;
    case 'printer_offline':
    case 'printer_jobs_stuck':
      return `${Math.round(value)} s > ${threshold} s`;
    default:
      return `${value} > ${threshold}`;
  }
}
