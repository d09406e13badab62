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
// The named schema types (`Order`, `Menu`…), `paths` and `components`. openapi-typescript's own
// `operations` interface stays inside: the name is the runtime's operation table, exported below.
export type * from './generated/openapi.js';
export * from './generated/operations.js';
export { operations } from './generated/operations.js';
export * from './kitchen/kitchen-socket.js';
export * from './kitchen/protocol.js';
export * from './kitchen/sockets.js';
export type { ArgsOf, Idempotent, ResultOf } from './operation-types.js';
export { type ClientErrorCode, type FieldError, isTiffinError, type Problem, TiffinError } from './tiffin-error.js';
export { type FetchInit, type FetchLike, type FetchResponseLike, fetchTransport } from './transports/fetch.js';
export type { AbortSignalLike, Transport, TransportRequest, TransportResponse } from './transports/transport.js';
export { type WxLike, type WxRequestOptions, wxTransport } from './transports/wx.js';
