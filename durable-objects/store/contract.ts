/*
 * The StoreDO's public surface: the types its RPC methods take and return. Code outside
 * `durable-objects/` (worker routes, services, queue consumers, scripts) imports these from
 * here, or rules from `domain/`, never the object's internals, so the store can be
 * rearranged inside without touching its callers. The worker reaches a store through
 * `worker/stores/store-gateway.ts`.
 */

export type { StoreHealth } from '../../domain/alerts/health';
export type { ChannelNotice } from './channels/channel-notices';
export type { ChannelOrderRequest, ChannelPlaced } from './channels/channel-orders';
export type { ChannelPush } from './channels/channel-pushes';
export {
  EXPIRED_REASON,
  REVOKED_REASON,
  SOCKET_AUTH_CLOSE,
  type SocketSubject,
  SUBJECT_HEADER,
} from './kitchen/socket-access';
export type { ActInput, Courier, OrderView, PlaceOrderRequest } from './orders/order-types';
export type { PrinterConfig } from './printers/printers';
export type { DoProblem, DoResult } from './result';
export type { SessionView } from './sessions/session-view';
export type { TableRef } from './sessions/sessions';
export type { StoreDO } from './store.do';
