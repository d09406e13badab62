export {
  type CallOptions,
  type ClientOptions,
  createClient,
  type OperationArgs,
  type OperationSpec,
  type RetryOptions,
  type TiffinClient,
  type TiffinClientCore,
  type TokenProvider,
} from './client.js';
export * from './generated/operations.js';
export type * from './generated/types.js';
export * from './kitchen-socket.js';
export { type ClientErrorCode, type FieldError, isTiffinError, type Problem, TiffinError } from './tiffin-error.js';
export { type FetchInit, type FetchLike, type FetchResponseLike, fetchTransport } from './transports/fetch.js';
export type { AbortSignalLike, Transport, TransportRequest, TransportResponse } from './transports/transport.js';
export { type WxLike, type WxRequestOptions, wxTransport } from './transports/wx.js';
