import { exports } from 'cloudflare:workers';

/** A kitchen display's socket as a test drives it: every message kept, and a wait for the next match. */
export interface TestDisplay {
  ws: WebSocket;
  // biome-ignore lint/suspicious/noExplicitAny: socket messages are untyped JSON in tests
  messages: any[];
  // biome-ignore lint/suspicious/noExplicitAny: as above
  events: () => any[];
  // biome-ignore lint/suspicious/noExplicitAny: as above
  next: (pred: (m: any) => boolean, ms?: number) => Promise<any>;
}

/** Opens a display's socket at a station (the token in the address, as older displays do). */
export async function openDisplay(storeId: string, token: string, station: string): Promise<TestDisplay> {
  const qs = new URLSearchParams({ station, token });
  const res = await exports.default.fetch(
    new Request(`http://tiffin.test/v1/stores/${storeId}/kitchen?${qs}`, { headers: { Upgrade: 'websocket' } }),
  );
  if (res.status !== 101) throw new Error(`upgrade refused: ${res.status} ${await res.text()}`);
  const ws = res.webSocket!;
  const messages: TestDisplay['messages'] = [];
  const waiters: { pred: (m: unknown) => boolean; resolve: (m: unknown) => void }[] = [];
  ws.accept();
  ws.addEventListener('message', (e) => {
    const m = JSON.parse(e.data as string);
    messages.push(m);
    for (const w of [...waiters]) {
      if (w.pred(m)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  });
  // Every wait is for a message that must come: it resolves as soon as it does, so the limit
  // only matters on a loaded CI machine, where 3 s can be too short.
  const next: TestDisplay['next'] = (pred, ms = 10_000) =>
    new Promise((resolve, reject) => {
      const found = messages.find(pred);
      if (found) return resolve(found);
      waiters.push({ pred, resolve });
      setTimeout(() => reject(new Error(`timed out; got ${JSON.stringify(messages).slice(0, 500)}`)), ms);
    });
  await next((m) => m.type === 'snapshot' || m.type === 'hello');
  return { ws, messages, events: () => messages.filter((m) => m.type === 'event').map((m) => m.event), next };
}
