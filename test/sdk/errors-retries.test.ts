import { describe, expect, it } from 'vitest';
import {
  createClient,
  type FetchInit,
  isTiffinError,
  TiffinError,
  type WxRequestOptions,
  wxTransport,
} from '../../client-sdk/src/index';
import { newMember, openStore, potstickers } from '../support/factories';
import { BASE, fakeWx, fetchClient, type Sent, workerFetch } from './support';

const cart = (quantity = 1) => ({ mode: 'pickup' as const, lines: [potstickers(quantity)] });

/** Runs `fn`, expecting it to reject with a TiffinError; returns the error. */
async function failure(fn: () => Promise<unknown>): Promise<TiffinError> {
  try {
    await fn();
  } catch (e) {
    expect(e).toBeInstanceOf(TiffinError);
    return e as TiffinError;
  }
  throw new Error('expected a TiffinError');
}

/** A fetch that never answers until its signal aborts, as a request lost in a tunnel. */
function hangingFetch(seen: FetchInit[]) {
  return (_input: string, init: FetchInit) =>
    new Promise<never>((_, reject) => {
      seen.push(init);
      init.signal?.addEventListener('abort', () => reject(new Error('aborted by signal')));
    });
}

describe('errors are typed problem+json', () => {
  it('a sold-out dish is a 409 TiffinError with code order.sold_out', async () => {
    const { storeId, staff } = await openStore();
    const guest = await newMember();
    await fetchClient({ token: staff }).stock.set({ storeId, itemId: 'itm_potstickers', body: { count: 0 } });
    const sent: Sent[] = [];
    const e = await failure(() => fetchClient({ token: guest.token }, sent).orders.place({ storeId, body: cart() }));
    expect(e).toMatchObject({ status: 409, code: 'order.sold_out', name: 'TiffinError' });
    expect(e.requestId).toMatch(/\S+/);
    expect(e.problem?.type).toBeTypeOf('string');
    expect(e.message).toContain('order.sold_out');
    expect(isTiffinError(e)).toBe(true);
    expect(sent).toHaveLength(1); // a 409 is an answer, not a reason to retry
  });

  it('an invalid cart is a 422 naming each field in errors[]', async () => {
    const { storeId } = await openStore();
    const guest = await newMember();
    const e = await failure(() =>
      fetchClient({ token: guest.token }).orders.place({
        storeId,
        body: { mode: 'pickup', lines: [{ itemId: 'itm_potstickers', quantity: 0 }] },
      }),
    );
    expect(e).toMatchObject({ status: 422, code: 'validation.failed' });
    expect(e.errors.map((x) => x.path)).toContain('lines.0.quantity');
    expect(e.fieldError('lines.0.quantity')).toBeTypeOf('string');
  });

  it('the same errors arrive through the wx transport', async () => {
    const { storeId, staff } = await openStore();
    const guest = await newMember();
    const client = createClient({ baseUrl: BASE, transport: wxTransport(fakeWx().wx), token: guest.token });
    const anonymous = createClient({ baseUrl: BASE, transport: wxTransport(fakeWx().wx) });
    const unauthorized = await failure(() => anonymous.orders.place({ storeId, body: cart() }));
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.code).toMatch(/^auth\./);
    await fetchClient({ token: staff }).stock.set({ storeId, itemId: 'itm_potstickers', body: { count: 0 } });
    const soldOut = await failure(() => client.orders.place({ storeId, body: cart() }));
    expect(soldOut).toMatchObject({ status: 409, code: 'order.sold_out' });
    const invalid = await failure(() =>
      client.orders.quote({ storeId, body: { mode: 'pickup', lines: [{ itemId: 'itm_potstickers', quantity: 100 }] } }),
    );
    expect(invalid.status).toBe(422);
    expect(invalid.errors.map((x) => x.path)).toContain('lines.0.quantity');
  });

  it('a missing path parameter fails in the client', async () => {
    const e = await failure(() => fetchClient().stores.get({ storeId: '' }));
    expect(e).toMatchObject({ status: 0, code: 'client.invalid_args' });
  });
});

describe('tokens', () => {
  it('a 401 asks the provider for a fresh token and retries once, with the same Idempotency-Key', async () => {
    const { storeId } = await openStore();
    const guest = await newMember();
    const asked: boolean[] = [];
    const sent: Sent[] = [];
    const client = fetchClient(
      {
        token: ({ refresh }) => {
          asked.push(refresh);
          return refresh ? guest.token : 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.bm90LWEtc2lnbmF0dXJl';
        },
      },
      sent,
    );
    const order = await client.orders.place({ storeId, body: cart() });
    expect(order.memberId).toBe(guest.memberId);
    expect(asked).toEqual([false, true]);
    expect(sent).toHaveLength(2);
    expect(sent[0]!.headers.authorization).not.toBe(`Bearer ${guest.token}`);
    expect(sent[1]!.headers.authorization).toBe(`Bearer ${guest.token}`);
    expect(sent[1]!.headers['idempotency-key']).toBe(sent[0]!.headers['idempotency-key']);
  });

  it('concurrent 401s share one refresh; a refresh that does not help surfaces the 401', async () => {
    const guest = await newMember();
    let refreshes = 0;
    let current = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.b2xk';
    const client = fetchClient({
      token: async ({ refresh }) => {
        if (refresh) {
          refreshes++;
          await new Promise((r) => setTimeout(r, 20));
          current = guest.token;
        }
        return current;
      },
    });
    const [a, b, c] = await Promise.all([client.members.wallet(), client.members.wallet(), client.orders.mine()]);
    expect(a.balance).toBe(0);
    expect(b.balance).toBe(0);
    expect(c.items).toEqual([]);
    expect(refreshes).toBe(1);

    const stuck = fetchClient({ token: () => 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c3R1Y2s' });
    const e = await failure(() => stuck.members.wallet());
    expect(e.status).toBe(401);
  });

  it('login calls never carry a token', async () => {
    const sent: Sent[] = [];
    const client = fetchClient({ token: () => 'should-not-be-sent' }, sent);
    await client.auth.dev({ body: { role: 'member', subject: 'mem_nologin' } });
    expect(sent[0]!.headers.authorization).toBeUndefined();
  });
});

describe('retries and idempotency', () => {
  it('a placement whose answer is lost is retried with the same key, and the store makes one order', async () => {
    const { storeId, staff } = await openStore();
    const guest = await newMember();
    const { fetch: worker, sent } = workerFetch();
    const answers: { status: number; id: string }[] = [];
    let dropped = false;
    const flaky = async (input: string, init: FetchInit) => {
      const res = await worker(input, init);
      const clone = (res as Response).clone();
      if (init.method === 'POST')
        answers.push({ status: clone.status, id: ((await clone.json()) as { id: string }).id });
      if (init.method === 'POST' && !dropped) {
        dropped = true; // the server placed the order; the answer never reaches the phone
        throw new TypeError('Network connection lost.');
      }
      return res;
    };
    const client = createClient({ baseUrl: BASE, fetch: flaky, token: guest.token, retry: { baseDelayMs: 5 } });
    const order = await client.orders.place({ storeId, body: cart() });

    const posts = sent.filter((s) => s.method === 'POST');
    expect(posts).toHaveLength(2);
    expect(posts[0]!.headers['idempotency-key']).toBeTruthy();
    expect(posts[1]!.headers['idempotency-key']).toBe(posts[0]!.headers['idempotency-key']);
    expect(answers.map((a) => a.status)).toEqual([201, 200]); // placed, then replayed
    expect(answers[1]!.id).toBe(answers[0]!.id);
    expect(order.id).toBe(answers[0]!.id);
    const today = await fetchClient({ token: staff }).orders.listForStore({ storeId });
    expect(today.items.map((o) => o.id)).toEqual([order.id]);
  });

  it('a caller-given key is used as is', async () => {
    const { storeId } = await openStore();
    const guest = await newMember();
    const sent: Sent[] = [];
    const client = fetchClient({ token: guest.token }, sent);
    const key = `cart-${crypto.randomUUID()}`;
    const first = await client.orders.place({ storeId, body: cart(), idempotencyKey: key });
    const again = await client.orders.place({ storeId, body: cart(), idempotencyKey: key });
    expect(again.id).toBe(first.id);
    expect(sent.map((s) => s.headers['idempotency-key'])).toEqual([key, key]);
  });

  it('a POST without an idempotency key is not retried', async () => {
    const { storeId } = await openStore();
    const guest = await newMember();
    let attempts = 0;
    const failing = async () => {
      attempts++;
      throw new TypeError('Network connection lost.');
    };
    const client = createClient({ baseUrl: BASE, fetch: failing, token: guest.token, retry: { baseDelayMs: 1 } });
    const e = await failure(() => client.orders.quote({ storeId, body: cart() }));
    expect(e).toMatchObject({ status: 0, code: 'client.network' });
    expect(attempts).toBe(1);

    const start = await failure(() => client.payments.start({ orderId: 'ord_x', body: { method: 'sandbox' } }));
    expect(start.code).toBe('client.network');
    expect(attempts).toBe(2);
  });

  it('a GET is retried after a network failure and after a 503 with Retry-After', async () => {
    const { storeId } = await openStore();
    const { fetch: worker, sent } = workerFetch();
    let n = 0;
    const flaky = async (input: string, init: FetchInit) => {
      n++;
      if (n === 1) throw new TypeError('fetch failed');
      if (n === 2) {
        return new Response(
          JSON.stringify({
            type: 'about:blank',
            title: 'Busy',
            status: 503,
            detail: 'busy',
            code: 'order.store_busy',
            requestId: 'r',
          }),
          { status: 503, headers: { 'content-type': 'application/problem+json', 'retry-after': '0' } },
        );
      }
      return worker(input, init);
    };
    const client = createClient({ baseUrl: BASE, fetch: flaky, retry: { baseDelayMs: 1 } });
    const menu = await client.menu.get({ storeId });
    expect(menu.storeId).toBe(storeId);
    expect(n).toBe(3);
    expect(sent).toHaveLength(1);

    const none = createClient({ baseUrl: BASE, fetch: flaky, retry: false });
    n = 0;
    expect((await failure(() => none.menu.get({ storeId }))).code).toBe('client.network');
    expect(n).toBe(1);
  });

  it('a Retry-After longer than the longest backoff is not waited for', async () => {
    let n = 0;
    const busy = async () => {
      n++;
      return new Response(
        JSON.stringify({
          type: 'about:blank',
          title: 'Busy',
          status: 429,
          detail: 'later',
          code: 'order.rate_limited',
          requestId: 'r',
          queuePosition: 4,
        }),
        { status: 429, headers: { 'content-type': 'application/problem+json', 'retry-after': '30' } },
      );
    };
    const client = createClient({ baseUrl: BASE, fetch: busy });
    const e = await failure(() => client.stores.get({ storeId: 'sto_x' }));
    expect(e).toMatchObject({ status: 429, code: 'order.rate_limited', retryAfter: 30 });
    expect(e.problem?.queuePosition).toBe(4);
    expect(n).toBe(1);
  });
});

describe('timeouts and cancellation', () => {
  it('a call with no answer times out, aborting the fetch', async () => {
    const seen: FetchInit[] = [];
    const client = createClient({ baseUrl: BASE, fetch: hangingFetch(seen), timeoutMs: 50, retry: false });
    const started = Date.now();
    const e = await failure(() => client.stores.get({ storeId: 'sto_demo_peoplesq' }));
    expect(e).toMatchObject({ status: 0, code: 'client.timeout' });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.signal.aborted).toBe(true);
  });

  it('a timed-out GET is retried; a per-call timeout overrides the client one', async () => {
    const seen: FetchInit[] = [];
    const client = createClient({
      baseUrl: BASE,
      fetch: hangingFetch(seen),
      timeoutMs: 60_000,
      retry: { baseDelayMs: 1 },
    });
    const e = await failure(() =>
      client.stores.get({ storeId: 'sto_demo_peoplesq' }, { timeoutMs: 20, retry: { retries: 1 } }),
    );
    expect(e.code).toBe('client.timeout');
    expect(seen).toHaveLength(2);
  });

  it('an AbortSignal cancels the call and the request', async () => {
    const seen: FetchInit[] = [];
    const client = createClient({ baseUrl: BASE, fetch: hangingFetch(seen) });
    const controller = new AbortController();
    const pending = failure(() => client.stores.get({ storeId: 'sto_demo_peoplesq' }, { signal: controller.signal }));
    await new Promise((r) => setTimeout(r, 10));
    controller.abort();
    expect((await pending).code).toBe('client.aborted');
    expect(seen[0]!.signal.aborted).toBe(true);

    const before = seen.length;
    const already = await failure(() => client.stores.get({ storeId: 'x' }, { signal: AbortSignal.abort() }));
    expect(already.code).toBe('client.aborted');
    expect(seen).toHaveLength(before);
  });

  it('with wx, a timeout or an abort aborts the request task', async () => {
    const tasks: { aborted: boolean }[] = [];
    const wx = {
      request: (o: WxRequestOptions) => {
        const task = {
          aborted: false,
          abort() {
            task.aborted = true;
            o.fail({ errMsg: 'request:fail abort' });
          },
        };
        tasks.push(task);
        return task;
      },
    };
    const client = createClient({ baseUrl: BASE, transport: wxTransport(wx), timeoutMs: 30, retry: false });
    expect((await failure(() => client.stores.get({ storeId: 'x' }))).code).toBe('client.timeout');
    const controller = new AbortController();
    const pending = failure(() => client.stores.get({ storeId: 'x' }, { signal: controller.signal, timeoutMs: 0 }));
    await new Promise((r) => setTimeout(r, 10));
    controller.abort();
    expect((await pending).code).toBe('client.aborted');
    expect(tasks.map((t) => t.aborted)).toEqual([true, true]);
  });

  it('a wx network failure is a client.network error and a wx timeout a client.timeout', async () => {
    let msg = 'request:fail timeout';
    const wx = { request: (o: WxRequestOptions) => o.fail({ errMsg: msg }) };
    const client = createClient({ baseUrl: BASE, transport: wxTransport(wx), retry: false });
    expect((await failure(() => client.stores.get({ storeId: 'x' }))).code).toBe('client.timeout');
    msg = 'request:fail net::ERR_INTERNET_DISCONNECTED';
    expect((await failure(() => client.stores.get({ storeId: 'x' }))).code).toBe('client.network');
  });
});
