// The signed-in console: the stores the account may see, the selection from the address,
// and the sections for it. Every section loads on its own, so one failing shows its own
// error and retry while the rest still answer.
import { html, useEffect, useMemo, useState } from '/lib/ui.js';
import { AlertsPanel } from './alerts-panel.js';
import { api, problemText } from './api.js';
import { Campaigns } from './campaigns.js';
import { Experiments } from './experiments.js';
import { Filters } from './filters.js';
import { HourHeatmap } from './hour-heatmap.js';
import { t } from './i18n.js';
import { KpiCards } from './kpi-cards.js';
import { useLoad } from './load.js';
import { readSelection, todayIn, writeSelection } from './period.js';
import { RevenueChart } from './revenue-chart.js';
import { Riders } from './riders.js';
import { StoreTable } from './store-table.js';
import { TopDishes } from './top-dishes.js';

/** Admins see the brand's stores; a store manager sees the stores named on their account. */
async function loadStores(account) {
  if (account.role === 'admin') return (await api.admin.listStores()).items;
  const { items } = await api.stores.list({ brandId: account.brandId });
  return items.filter((s) => account.storeIds.includes(s.id));
}

/** The address query as a selection, dates counted in the (first chosen) store's time zone. */
function selectionFor(stores, search) {
  const wanted = new URLSearchParams(search).getAll('store');
  const zone = (stores.find((s) => wanted.includes(s.id)) ?? stores[0])?.timeZone ?? 'Asia/Shanghai';
  const sel = readSelection(search, todayIn(zone));
  return { ...sel, storeIds: sel.storeIds.filter((id) => stores.some((s) => s.id === id)) };
}

function Sections({ stores, account }) {
  const admin = account.role === 'admin';
  const [search, setSearch] = useState(location.search);
  useEffect(() => {
    const back = () => setSearch(location.search);
    addEventListener('popstate', back);
    return () => removeEventListener('popstate', back);
  }, []);
  const selection = useMemo(() => selectionFor(stores, search), [stores, search]);
  const change = (partial) => {
    const next = writeSelection({ ...selection, ...partial });
    history.pushState(null, '', `${location.pathname}${next}`);
    setSearch(next);
  };
  const query = useMemo(
    () => ({
      from: selection.from,
      to: selection.to,
      ...(selection.storeIds.length ? { storeId: selection.storeIds } : {}),
    }),
    [selection],
  );
  const qkey = JSON.stringify(query);
  const storeIds = selection.storeIds.length ? selection.storeIds : stores.map((s) => s.id);
  return html`
    <${Filters} stores=${stores} selection=${selection} onChange=${change} />
    <${AlertsPanel} api=${api} storeIds=${storeIds} admin=${admin} />
    <${KpiCards} query=${query} qkey=${qkey} />
    <div class="two">
      <${RevenueChart} query=${query} qkey=${qkey} />
      <${HourHeatmap} query=${query} qkey=${qkey} />
    </div>
    <div class="two">
      <${TopDishes} query=${query} qkey=${qkey} />
      <${StoreTable} query=${query} qkey=${qkey} />
    </div>
    <${Campaigns} query=${query} qkey=${qkey} />
    ${admin ? html`<${Experiments} />` : null}
    <${Riders} account=${account} stores=${stores.filter((s) => storeIds.includes(s.id))} />
  `;
}

export function Dashboard({ account }) {
  const load = useLoad(() => loadStores(account), account.id);
  if (load.error)
    return html`<div class="problem" role="alert"><p>${t('loadFailed')}: ${problemText(load.error)}</p>
      <button type="button" class="btn" onClick=${load.retry}>${t('retry')}</button></div>`;
  if (!load.data) return html`<p class="muted" role="status">${t('loading')}</p>`;
  if (load.data.length === 0) return html`<p class="empty">${t('noStores')}</p>`;
  return html`<${Sections} stores=${load.data} account=${account} />`;
}
