import type { Env } from '../env';
import { ApiError } from '../http/errors';
import { lookupHash } from '../lib/lookup-keys';

/*
 * The `state` of WeChat web authorization, against login CSRF: a signed, short-lived value
 * bound to a nonce only the browser that started the sign-in holds (it keeps the nonce in
 * sessionStorage and sends it back with the code). A link someone else started carries a
 * state for their nonce, so completing it in another browser is refused. WeChat allows at
 * most 128 characters of [A-Za-z0-9]: the state is `{expiry, base 36}z{32 hex of MAC}`.
 */

export const STATE_TTL_MS = 10 * 60_000;
const LABEL = 'tiffin/wechat-web-state/v1';

const mac = async (env: Env, expiresAt: number, nonce: string, brandId: string) =>
  (await lookupHash(env, LABEL, `${expiresAt}:${brandId}:${nonce}`)).slice(0, 32);

/** A state for this browser's `nonce`, valid for ten minutes. */
export async function issueState(env: Env, nonce: string, brandId: string, now = Date.now()) {
  const expiresAt = now + STATE_TTL_MS;
  return { state: `${expiresAt.toString(36)}z${await mac(env, expiresAt, nonce, brandId)}`, expiresAt };
}

const forged = () =>
  new ApiError(401, 'auth.state_invalid', 'This sign-in was not started from this browser; start again.');

/** Refuses a state that was not issued for this nonce (401 `auth.state_invalid`) or is too old (`auth.state_expired`). */
export async function checkState(env: Env, state: string, nonce: string, brandId: string, now = Date.now()) {
  const m = /^([0-9a-z]{1,12})z([0-9a-f]{32})$/.exec(state);
  if (!m) throw forged();
  const expiresAt = Number.parseInt(m[1]!, 36);
  const expected = await mac(env, expiresAt, nonce, brandId);
  let diff = 0;
  for (let i = 0; i < expected.length; i++) diff |= expected.charCodeAt(i) ^ m[2]!.charCodeAt(i);
  if (diff !== 0) throw forged();
  if (expiresAt <= now) {
    throw new ApiError(401, 'auth.state_expired', 'The sign-in took too long; start again.');
  }
}
