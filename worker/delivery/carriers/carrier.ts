/*
 * One interface over every carrier a store can hand a delivery to (Dada, SF same-city,
 * WeChat instant delivery). Adapters speak the carrier's wire format with WebCrypto only;
 * the dispatch broker above them never sees a carrier detail.
 */
import type { CarrierName } from '../../../domain/delivery/carrier-status';
import type { CarrierFailure } from '../../../domain/delivery/dispatch-rules';
import type { Position } from '../../../domain/delivery/tracking';

/** Where the rider picks up: the store. */
export interface Pickup {
  name: string;
  address: string;
  city: string;
  phone: string;
  lat: number;
  lng: number;
}

/** What a carrier needs to price and place one delivery. */
export interface DispatchRequest {
  /** Our number for this dispatch (`dsp_…`): Dada `origin_id`, SF and WeChat `shop_order_id`. */
  shopOrderId: string;
  orderId: string;
  ticketNo: string;
  /** Goods value in fen (the order's total). */
  goodsValue: number;
  goods: { name: string; quantity: number }[];
  pickup: Pickup;
  receiver: { name: string; phone: string; address: string; lat: number; lng: number };
  /** Our callback URL for this carrier. */
  callbackUrl: string;
  /** The guest's WeChat openid, when they have one (WeChat instant delivery asks for it). */
  openid?: string;
  note?: string;
}

/** A carrier's price and promise, with what placing needs to hold it to them. */
export interface QuoteResult {
  fee: number;
  minutes: number;
  distanceMetres?: number;
  /** Dada `deliveryNo`, WeChat `delivery_token`; SF has none (its createorder re-prices). */
  token?: string;
  /** WeChat instant delivery: the carrier behind it that gave this price (`DADA`, `SFTC` …). */
  subCarrier?: string;
}

export interface PlaceResult {
  /** The carrier's order number: the tracking number. */
  trackingNo: string;
  /** The fee the carrier confirmed, when it says. */
  fee?: number;
}

/** What a callback says, verified, before it is mapped onto the one delivery model. */
export interface CarrierCallback {
  /** The carrier's status code. */
  code: number;
  /** When the carrier says it happened (epoch ms). */
  at: number;
  rider?: { name: string; phone?: string };
  position?: Position;
  reason?: string;
}

/** Where a dispatch stands, for the calls that name it. */
export interface DispatchRef {
  shopOrderId: string;
  trackingNo: string;
  subCarrier?: string | null;
}

export type CarrierErrorCode = CarrierFailure;

/**
 * Why a carrier call failed: `unavailable` (network, timeout, 5xx: try again or another
 * carrier), `rejected` (the carrier said no, with its own code in the message),
 * `malformed` (an answer we cannot read). The message is the carrier's words, for logs
 * and the per-carrier quote errors; never a client-facing problem detail by itself.
 */
export class CarrierError extends Error {
  constructor(
    readonly code: CarrierErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CarrierError';
  }
}

/** Why a callback is refused; counted per carrier, reason and day. */
export type RefusalReason = 'malformed' | 'signature_invalid' | 'unknown_order' | 'stale';

export class CallbackRefusal extends Error {
  constructor(
    readonly reason: RefusalReason,
    message: string,
  ) {
    super(message);
    this.name = 'CallbackRefusal';
  }
}

export interface Carrier {
  readonly name: CarrierName;
  quote(req: DispatchRequest): Promise<QuoteResult>;
  place(req: DispatchRequest, quote: QuoteResult): Promise<PlaceResult>;
  cancel(ref: DispatchRef, reason: string): Promise<void>;
  /** Checks a callback's signature with this account's secrets; throws `CallbackRefusal`. */
  verifyCallback(url: URL, body: string): Promise<CarrierCallback>;
  /** The rider's last position, when the carrier's callback does not carry one. */
  riderPosition?(ref: DispatchRef): Promise<Position | null>;
  /** Tells the carrier the food is ready (SF `notifyproductready`). */
  notifyReady?(ref: DispatchRef): Promise<void>;
}

/** How adapters reach the network: the fetch to use and each call's time limit. */
export interface CarrierTransport {
  fetch: typeof fetch;
  timeoutMs: number;
  now: () => number;
}

/** POSTs JSON and parses a JSON answer; network trouble, timeouts and 5xx are `unavailable`. */
export async function postJson(
  t: CarrierTransport,
  url: string,
  body: string,
  what: string,
): Promise<Record<string, unknown>> {
  let res: Response;
  try {
    res = await t.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      signal: AbortSignal.timeout(t.timeoutMs),
    });
  } catch (e) {
    const why = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    throw new CarrierError('carrier.unavailable', `${what}: ${why}`);
  }
  const text = await res.text();
  if (res.status >= 500 || res.status === 429) {
    throw new CarrierError('carrier.unavailable', `${what}: HTTP ${res.status}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CarrierError('carrier.malformed', `${what}: HTTP ${res.status}, not JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null) {
    throw new CarrierError('carrier.malformed', `${what}: not a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

/** Fen to the yuan number carriers that price in yuan expect (2 decimals). */
export const yuan = (fen: number) => Math.round(fen) / 100;
/** A yuan amount a carrier answered with, to fen. */
export const fen = (yuanAmount: unknown) => Math.round(Number(yuanAmount) * 100);

/** A JSON body field as text, or throws `CallbackRefusal('malformed')`. */
export function field(o: Record<string, unknown>, key: string): string {
  const v = o[key];
  if (typeof v === 'string' && v !== '') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  throw new CallbackRefusal('malformed', `the callback has no ${key}`);
}

/** Parses a callback body as a JSON object, or throws `CallbackRefusal('malformed')`. */
export function callbackJson(body: string): Record<string, unknown> {
  try {
    const v = JSON.parse(body) as unknown;
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // refused below
  }
  throw new CallbackRefusal('malformed', 'the callback is not a JSON object');
}

/** The raw fields a callback names, each carrier under its own keys. */
export interface CallbackFields {
  status: unknown;
  /** Unix seconds, as every carrier sends it. */
  seconds: unknown;
  riderName?: unknown;
  riderPhone?: unknown;
  lat?: unknown;
  lng?: unknown;
  reason?: unknown;
}

const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined);

/**
 * One callback reader for every carrier: empty strings are absent, a missing or broken time
 * falls back to `now`, and a position is kept only when both coordinates are real numbers.
 */
export function readCallback(f: CallbackFields, now: number): CarrierCallback {
  const code = Number(f.status);
  if (f.status === undefined || f.status === '' || !Number.isFinite(code)) {
    throw new CallbackRefusal('malformed', 'the callback has no status');
  }
  const at = Number(f.seconds) * 1000;
  const name = text(f.riderName);
  const phone = text(f.riderPhone);
  const reason = text(f.reason);
  const lat = Number(f.lat);
  const lng = Number(f.lng);
  const hasPosition = Boolean(f.lat) && Boolean(f.lng) && Number.isFinite(lat) && Number.isFinite(lng);
  return {
    code,
    at: Number.isFinite(at) && at > 0 ? at : now,
    ...(name ? { rider: { name, ...(phone ? { phone } : {}) } } : {}),
    ...(hasPosition ? { position: { lat, lng } } : {}),
    ...(reason ? { reason } : {}),
  };
}

/** The dispatch an SF or WeChat callback is about: its `shop_order_id` is ours. */
export function shopOrderIdOf(body: string): string {
  return field(callbackJson(body), 'shop_order_id');
}
