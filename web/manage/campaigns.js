// Campaign results (the existing `admin.listCampaigns` + `admin.listMetrics`): brand-wide,
// so a store manager, who may not read them, gets no section at all rather than an error.
import { html } from '/lib/ui.js';
import { api, isForbidden } from './api.js';
import { count, money, percent, t } from './i18n.js';
import { useLoad } from './load.js';
import { daysBetween } from './period.js';
import { Section } from './section.js';

const SHOWN = 8;
const order = { active: 0, paused: 1, ended: 2 };

async function loadCampaigns(windowDays) {
  const { campaigns } = await api.admin.listCampaigns();
  const chosen = [...campaigns]
    .sort((a, b) => order[a.status] - order[b.status] || b.createdAt.localeCompare(a.createdAt))
    .slice(0, SHOWN);
  const metrics = await Promise.all(
    chosen.map((c) => api.admin.listMetrics({ campaignId: c.id, windowDays }).catch(() => null)),
  );
  return chosen.map((c, i) => ({ campaign: c, metrics: metrics[i] }));
}

const lift = (pp) => `${pp > 0 ? '▲ +' : pp < 0 ? '▼ ' : ''}${pp.toFixed(1)} ${t('pp')}`;

export function Campaigns({ query, qkey }) {
  const windowDays = Math.min(90, Math.max(1, daysBetween(query.from, query.to).length));
  const load = useLoad(() => loadCampaigns(windowDays), `${qkey}:${windowDays}`);
  if (load.error && isForbidden(load.error)) return null;
  const rows = load.data ?? [];
  return html`<${Section} id="campaigns" title=${t('campaigns')} note=${t('campaignsNote', { days: windowDays })} load=${load}
    empty=${rows.length === 0} emptyText=${t('noCampaigns')}>
    <div class="table-wrap">
      <table class="grid-table">
        <thead><tr>
          <th scope="col">${t('campaign')}</th><th scope="col" class="num">${t('targeted')}</th>
          <th scope="col" class="num">${t('issued')}</th><th scope="col" class="num">${t('redeemed')}</th>
          <th scope="col" class="num">${t('redemptionRate')}</th><th scope="col" class="num">${t('attributedRevenue')}</th>
          <th scope="col" class="num">${t('repurchaseLift')}</th>
        </tr></thead>
        <tbody>${rows.map(({ campaign: c, metrics: m }) =>
          m
            ? html`<tr key=${c.id}>
                <th scope="row">${c.name} <small class="muted">${t(`status.${c.status}`)}</small></th>
                <td class="num">${count(m.targeted)}</td><td class="num">${count(m.issued)}</td>
                <td class="num">${count(m.redeemed)}</td><td class="num">${percent(m.redemptionRate)}</td>
                <td class="num">${money(m.attributedRevenue)}</td>
                <td class="num"><span class=${`delta delta-${m.repurchase.lift > 0 ? 'up' : m.repurchase.lift < 0 ? 'down' : 'flat'}`}>${lift(m.repurchase.lift)}</span></td>
              </tr>`
            : html`<tr key=${c.id}><th scope="row">${c.name}</th><td colspan="6" class="muted">${t('metricsUnavailable')}</td></tr>`,
        )}</tbody>
      </table>
    </div>
  </${Section}>`;
}
