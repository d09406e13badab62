// The console's alerts: what crossed a threshold in the chosen stores (order success rate,
// placement latency, printer health, kitchen lateness). Placeholder until the alerts part
// lands: the console imports `AlertsPanel` from here and renders it with
// `{ api, storeIds }` (the SDK client and the stores picked in the console).
import { html } from '/lib/ui.js';

export function AlertsPanel() {
  return html``;
}
