/*
 * What the fake carrier servers share: digests on crypto.subtle directly (never the
 * adapters' helpers), a recorded request log, and the ways a carrier misbehaves.
 */

const enc = new TextEncoder();
const hex = (b: ArrayBuffer) => Array.from(new Uint8Array(b), (x) => x.toString(16).padStart(2, '0')).join('');

export const md5Hex = async (s: string) => hex(await crypto.subtle.digest('MD5', enc.encode(s)));
export const sha1Hex = async (s: string) => hex(await crypto.subtle.digest('SHA-1', enc.encode(s)));

export interface CarrierRequestLog {
  path: string;
  body: Record<string, unknown>;
  /** Whether the request's signature checked out. */
  signed: boolean;
}

/** How a fake answers: normally, down (HTTP 502), or never (until the caller gives up). */
export type FakeMode = 'ok' | 'down' | 'hang';

/** A fetch that never answers, until the request's abort signal fires. */
export function hang(init?: RequestInit): Promise<Response> {
  return new Promise((_, reject) => {
    const signal = init?.signal;
    signal?.addEventListener('abort', () => reject(signal.reason ?? new DOMException('aborted', 'AbortError')));
  });
}

export const digits = (n: number) => Array.from(crypto.getRandomValues(new Uint8Array(n)), (b) => b % 10).join('');
