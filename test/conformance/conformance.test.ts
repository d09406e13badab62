import { beforeAll, describe, expect, it } from 'vitest';
import type { Json } from '../support/fixtures';
import { call } from '../support/http';
import { answerChecker } from './answers';
import { type Operation, operationsOf } from './document';
import { invalidRequests, validRequest } from './requests';
import { utcTimesIn } from './utc-times';
import { buildWorld, ROLES, type World } from './world';

/**
 * Operations the run cannot exercise through a plain request, with why. Keep it short:
 * everything else is covered as soon as it is in the document.
 */
const CANNOT_EXERCISE: Record<string, string> = {};

/**
 * Operations that end the caller's session or delete a record the run points at: run after
 * every other operation, so they do not turn the rest of the walk into 401s and 404s.
 */
const ENDS_THE_WORLD = [
  'auth.logoutAll',
  'members.logoutAll',
  'members.deleteMe',
  'devices.renewToken',
  'admin.deleteDevice',
];
const rank = (o: Operation) => (ENDS_THE_WORLD.includes(o.id) ? 2 : o.method === 'DELETE' ? 1 : 0);

let doc: Json;
let world: World;
const mismatches: string[] = [];
/** Every JSON answer the walk received, for the checks on what answers contain. */
const answered: { where: string; json: unknown }[] = [];
let coverage = { operations: 0, succeeded: new Set<string>() };

beforeAll(async () => {
  doc = (await call('/openapi.json')).json;
  world = await buildWorld();
}, 60_000);

describe('every answer the API gives is one its document describes', () => {
  it('walks every operation with no token, each role, a plausible request and broken ones', async () => {
    const check = answerChecker(doc);
    const ops = operationsOf(doc)
      .filter((o) => !(o.id in CANNOT_EXERCISE))
      .sort((a, b) => rank(a) - rank(b));
    coverage = { operations: ops.length, succeeded: new Set() };
    for (const o of ops) {
      const valid = validRequest(doc, o, world);
      let widest: string | undefined;
      const send = async (role: string, req: typeof valid) => {
        const { url, variant, ...opts } = req;
        const where0 = `${o.method} ${o.path} [${role}, ${variant}]`;
        // `call` refuses a problem code the operation does not list: note it and walk on.
        const res = await call(url, { ...opts, token: world.tokens[role as keyof World['tokens']] }).catch(
          (e: Error) => {
            mismatches.push(`${where0}: ${e.message}`);
            return undefined;
          },
        );
        if (!res) return { status: 0 };
        const where = `${where0} → ${res.status}`;
        const problem = check(o, res);
        if (problem) mismatches.push(`${where}: ${problem}`);
        if (res.json !== undefined) answered.push({ where, json: res.json });
        if (res.status < 300 && variant === 'valid') coverage.succeeded.add(o.id);
        return res;
      };
      for (const role of ROLES) {
        const res = await send(role, valid);
        if (res.status !== 401 && res.status !== 403) widest = role;
      }
      for (const broken of invalidRequests(doc, o, valid)) await send(widest ?? 'admin', broken);
    }
    console.log(
      `conformance: ${coverage.operations} operations, ${coverage.succeeded.size} answered 2xx to the plausible request`,
    );
    expect(mismatches).toEqual([]);
  }, 240_000);

  it('no answer and no example in the document carries a bare UTC time', () => {
    const found = [
      ...answered.flatMap((a) => utcTimesIn(a.json).map((t) => `${a.where}: ${t}`)),
      ...utcTimesIn(doc).map((t) => `openapi.json: ${t}`),
    ];
    expect(answered.length).toBeGreaterThan(100);
    expect(found).toEqual([]);
  });
});
