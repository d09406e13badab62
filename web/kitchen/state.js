// What the display knows, shared by its modules. Plain objects: modules change them in place.

const params = new URLSearchParams(location.search);
/**
 * A token never stays in the address (addresses end up in logs and browser history). An old
 * bookmark that still carries `?token=` is taken out of the address at once; kitchen.js keeps
 * it as a device token (sign-in.js stores tokens).
 */
function takeToken() {
  const fromAddress = params.get('token');
  if (!fromAddress) return '';
  params.delete('token');
  const rest = params.toString();
  history.replaceState(null, '', `${location.pathname}${rest ? `?${rest}` : ''}${location.hash}`);
  return fromAddress;
}

export const config = {
  store: params.get('store') || '',
  station: params.get('station') || '',
  token: takeToken(),
  // Optional API origin, for a display page hosted elsewhere than the API.
  api: params.get('api') || location.origin,
};

/** Tickets are keyed by order id; only this station's tickets. */
export const state = {
  station: config.station,
  thresholds: { warnMinutes: 8, lateMinutes: 15 },
  tickets: {},
  board: { preparing: [], ready: [], deliveries: [] },
  status: 'idle',
  // Every successful connection: { since, mode, seq, at } (since is null on a first connect).
  connections: [],
};

/** Order ids removed optimistically while their bump is in flight. */
export const hiddenTickets = new Set();
/** `${orderId}:${line}` shown done while an item bump is in flight. */
export const pendingItems = new Set();
/** Order id → time it arrived, for the highlight. */
export const fresh = new Map();
/** Order ids brought back by Recall (until they are bumped again). */
export const recalled = new Set();

export const log = (...args) => console.log('[kds]', ...args);
