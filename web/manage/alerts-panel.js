// The console's alerts: what crossed a threshold in the chosen stores (order success rate,
// placement latency, printer health, kitchen lateness), polled every 30 s. The console renders
// `AlertsPanel({ api, storeIds, admin })`: the SDK client, the stores picked (all it may see when
// empty), and for a brand admin the brand's unread notices too (a webhook endpoint disabled).
import { html, useCallback, useEffect, useState } from '/lib/ui.js';

const POLL_MS = 30_000;

// The panel's own few rules, added once, scoped to it (the console's stylesheet is not ours).
const STYLE = `
.alerts-panel .alert-list { list-style: none; margin: 0; padding: 0; display: grid; gap: 8px; }
.alerts-panel .alert-row { border: 1px solid #e3b4a8; border-left: 4px solid #c0392b; border-radius: 6px;
  padding: 8px 10px; display: grid; gap: 2px; background: #fff8f6; }
.alerts-panel .alert-en, .alerts-panel .alert-since, .alerts-panel .alert-detail { color: #666; font-size: 0.85em; }
.alerts-panel .alert-store { float: right; font-size: 0.9em; }
.alerts-panel .alert-measure { font-variant-numeric: tabular-nums; font-weight: 600; }
.alerts-panel .alert-count { background: #c0392b; color: #fff; border-radius: 9px; padding: 0 7px; font-size: 0.8em; }
.alerts-panel button { justify-self: start; min-height: 32px; }
.alerts-panel .alert-acked { color: #2e7d32; font-size: 0.85em; }
.alerts-panel .alerts-stale { color: #a15c00; }
.alerts-panel .notice-row { border-left-color: #a15c00; background: #fffaf0; }`;
function addStyle() {
  if (document.getElementById('alerts-panel-style')) return;
  const el = document.createElement('style');
  el.id = 'alerts-panel-style';
  el.textContent = STYLE;
  document.head.append(el);
}

const KINDS = {
  order_success_rate: { zh: '下单成功率低', en: 'Order success low' },
  placement_latency: { zh: '下单变慢', en: 'Ordering slow' },
  printer_offline: { zh: '打印机离线', en: 'Printer offline' },
  printer_jobs_stuck: { zh: '打印任务卡住', en: 'Print jobs stuck' },
  kitchen_late: { zh: '出餐超时', en: 'Kitchen late' },
};

const percent = (v) => `${Math.round(v * 1000) / 10}%`;
const duration = (s) => (s < 300 ? `${Math.round(s)} s` : `${Math.round(s / 60)} min`);

/** The measure against its threshold, in the kind's unit: "91% < 95%", "2300 ms > 1500 ms". */
export function measure(a) {
  switch (a.kind) {
    case 'order_success_rate':
      return `${percent(a.value)} < ${percent(a.threshold)}`;
    case 'placement_latency':
      return `p95 ${Math.round(a.value)} ms > ${a.threshold} ms`;
    case 'printer_offline':
    case 'printer_jobs_stuck':
      return `${duration(a.value)} > ${duration(a.threshold)}`;
    default:
      return `${a.value} > ${a.threshold}`;
  }
}

/** "since 14:05 (25 min)": the store's own clock from the ISO offset, and how long ago. */
export function since(iso, now = Date.now()) {
  const minutes = Math.max(0, Math.round((now - Date.parse(iso)) / 60_000));
  const ago = minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  return `${iso.slice(11, 16)} (${ago})`;
}

function AlertRow({ alert, onAck, busy }) {
  const kind = KINDS[alert.kind] ?? { zh: alert.kind, en: '' };
  return html`<li class="alert-row" data-testid="alert-row" data-kind=${alert.kind}>
    <div class="alert-main">
      <strong>${kind.zh}</strong> <span class="alert-en">${kind.en}</span>
      <span class="alert-store">${alert.storeName}</span>
    </div>
    <div class="alert-measure" data-testid="alert-measure">${measure(alert)}</div>
    <div class="alert-detail">${alert.detail}</div>
    <div class="alert-since">自 since ${since(alert.openedAt)}</div>
    ${
      alert.acknowledgedAt
        ? html`<span class="alert-acked" data-testid="alert-acked">已确认 Acknowledged</span>`
        : html`<button type="button" data-testid="alert-ack" disabled=${busy} onClick=${() => onAck(alert.id)}>
            确认 Acknowledge
          </button>`
    }
  </li>`;
}

function NoticeRow({ notice, onRead, busy }) {
  return html`<li class="alert-row notice-row" data-testid="notice-row" data-kind=${notice.kind}>
    <div class="alert-main">
      <strong>${notice.kind === 'webhook_disabled' ? 'Webhook 已停用' : notice.kind}</strong>${' '}
      <span class="alert-en">${notice.title}</span>
    </div>
    <div class="alert-detail">${notice.detail}</div>
    <div class="alert-since">自 since ${since(notice.createdAt)}</div>
    <button type="button" data-testid="notice-read" disabled=${busy} onClick=${() => onRead(notice.id)}>
      知道了 Mark read
    </button>
  </li>`;
}

export function AlertsPanel({ api, storeIds = [], admin = false }) {
  const [alerts, setAlerts] = useState(null);
  const [notices, setNotices] = useState([]);
  const [failed, setFailed] = useState(false);
  const [busy, setBusy] = useState(null);
  const stores = storeIds.join(',');

  const load = useCallback(async () => {
    try {
      const res = await api.alerts.list({ storeId: stores ? stores.split(',') : undefined, status: 'open' });
      setAlerts(res.items);
      if (admin) setNotices((await api.notices.list({ unread: 'true' })).items);
      setFailed(false);
    } catch {
      // Keep what was shown; say the list may be stale.
      setFailed(true);
    }
  }, [api, stores, admin]);

  useEffect(() => {
    addStyle();
    load();
    const timer = setInterval(load, POLL_MS);
    return () => clearInterval(timer);
  }, [load]);

  const acknowledge = async (alertId) => {
    setBusy(alertId);
    try {
      const updated = await api.alerts.acknowledge({ alertId });
      setAlerts((list) => (list ?? []).map((a) => (a.id === alertId ? updated : a)));
    } catch {
      setFailed(true);
    } finally {
      setBusy(null);
    }
  };

  const markRead = async (noticeId) => {
    setBusy(noticeId);
    try {
      await api.notices.markRead({ noticeId });
      setNotices((list) => list.filter((n) => n.id !== noticeId));
    } catch {
      setFailed(true);
    } finally {
      setBusy(null);
    }
  };

  const count = (alerts?.length ?? 0) + notices.length;
  return html`<section class="alerts-panel" data-testid="alerts-panel" aria-live="polite">
    <h2>告警 Alerts ${count > 0 ? html`<span class="alert-count">${count}</span>` : ''}</h2>
    ${
      notices.length > 0
        ? html`<ul class="alert-list notice-list">
            ${notices.map((n) => html`<${NoticeRow} key=${n.id} notice=${n} busy=${busy === n.id} onRead=${markRead} />`)}
          </ul>`
        : ''
    }
    ${failed ? html`<p class="alerts-stale" role="status">无法刷新 Could not refresh; retrying.</p>` : ''}
    ${
      alerts === null
        ? html`<p>加载中 Loading…</p>`
        : alerts.length === 0
          ? notices.length === 0
            ? html`<p class="alerts-none" data-testid="alerts-none">一切正常 All clear</p>`
            : ''
          : html`<ul class="alert-list">
              ${alerts.map((a) => html`<${AlertRow} key=${a.id} alert=${a} busy=${busy === a.id} onAck=${acknowledge} />`)}
            </ul>`
    }
  </section>`;
}
