// The console's one API client: the generated SDK with the signed-in account's token
// (refreshed on a 401 through session.js), plus how a failed call reads to a person.
import { createClient, isTiffinError } from '/lib/sdk.js';
import { t } from './i18n.js';
import { accessToken, refresh } from './session.js';

export const api = createClient({
  baseUrl: location.origin,
  token: ({ refresh: again }) => (again ? refresh() : accessToken()),
});

/** What went wrong, for the page: the problem's `detail` when the API sent one. */
export function problemText(e) {
  if (isTiffinError(e)) {
    if (e.status === 0) return t('offline');
    return e.detail || e.title || `HTTP ${e.status}`;
  }
  return String(e?.message ?? e);
}

/** True for "you may not see this" (a store manager asking for brand-wide campaign data). */
export const isForbidden = (e) => isTiffinError(e) && (e.status === 403 || e.status === 404);
