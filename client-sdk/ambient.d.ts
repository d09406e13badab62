// Globals the runtime touches, declared as little as possible so the package builds without DOM,
// Node or Workers types (a mini program has none of them). Each use checks and casts.
declare function setTimeout(handler: () => void, timeout?: number): number;
declare function clearTimeout(id: number): void;
declare function setInterval(handler: () => void, timeout?: number): number;
declare function clearInterval(id: number): void;
declare var fetch: unknown;
declare var AbortController: unknown;
declare var WebSocket: unknown;
declare var crypto: unknown;
