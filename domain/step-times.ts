/**
 * Milliseconds spent in each named step of one request, for its `Server-Timing` header: where a
 * placement's time goes (auth, the store lookup, the member read, the store object's
 * transaction) is read off a live request instead of guessed. The clock is a parameter: the
 * runtime's `performance.now()` in production, a fake in tests.
 */
export class StepTimes {
  private readonly spent = new Map<string, number>();

  constructor(private readonly clock: () => number) {}

  /** Runs `work` and adds its time to `name` (repeated steps add up). */
  async time<T>(name: string, work: () => Promise<T> | T): Promise<T> {
    const start = this.clock();
    try {
      return await work();
    } finally {
      this.add(name, this.clock() - start);
    }
  }

  add(name: string, ms: number): void {
    this.spent.set(name, (this.spent.get(name) ?? 0) + ms);
  }

  /** Steps measured elsewhere (the store object's, across its RPC), under a prefix. */
  merge(steps: Readonly<Record<string, number>> | undefined, prefix: string): void {
    for (const [name, ms] of Object.entries(steps ?? {})) this.add(`${prefix}${name}`, ms);
  }

  toJSON(): Record<string, number> {
    return Object.fromEntries([...this.spent].map(([k, v]) => [k, round(v)]));
  }

  /** `auth;dur=0.41, store;dur=1.2`: step names are tokens, so only [\w.-] survive in them. */
  header(extra: Readonly<Record<string, number>> = {}): string {
    // Built in one pass: it runs on every answer, and the object-and-array version of it was
    // 1.5–3 % of the runtime's CPU for an order in two profiles (`bench/profile-js.mjs`).
    const parts: string[] = [];
    for (const [name, ms] of this.spent) if (!Object.hasOwn(extra, name)) parts.push(`${token(name)};dur=${round(ms)}`);
    for (const [name, ms] of Object.entries(extra)) parts.push(`${token(name)};dur=${round(ms)}`);
    return parts.join(', ');
  }
}

const NOT_TOKEN = /[^\w.-]/g;
const tokens = new Map<string, string>();
/** A step name as a header token; the same few names recur, so each is cleaned once. */
function token(name: string): string {
  let t = tokens.get(name);
  if (t === undefined) {
    t = name.replace(NOT_TOKEN, '_');
    // Names are the code's own, so the cache stays small; a bound keeps it so.
    if (tokens.size < 256) tokens.set(name, t);
  }
  return t;
}

const round = (ms: number) => Math.round(ms * 100) / 100;
