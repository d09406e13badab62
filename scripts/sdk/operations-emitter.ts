/**
 * Emits `client-sdk/src/generated/operations.ts`: the runtime's operation table and the typed
 * `TiffinApi` surface, read from each operation's own `operationId` and `x-` extensions.
 * The types themselves come from openapi-typescript (`generated/openapi.ts`); this file only
 * names them (`OrdersPlaceArgs = ArgsOf<operations['orders.place']>`).
 *
 * Extensions a route may carry beside its `operationId`:
 *   x-idempotent: true     the runtime sends an `Idempotency-Key` (given or generated) and may retry
 *   x-auth: 'none'         a call made to obtain a token: never sent one, never refreshed
 *   x-sdk-omit: '<why>'    not a client call (a WebSocket, a provider callback, a printer's poll)
 */

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
}
export interface Operation {
  operationId?: string;
  summary?: string;
  description?: string;
  security?: unknown[];
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, unknown> };
  responses?: Record<string, { content?: Record<string, unknown> }>;
  'x-idempotent'?: boolean;
  'x-auth'?: 'none';
  'x-sdk-omit'?: string;
}
export interface Document {
  info: { title: string; version: string };
  paths?: Record<string, Record<string, Operation>>;
}

const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;
const IDENT = /^[a-z][A-Za-z0-9]*$/;
/** Names the client object uses itself. */
const RESERVED_NAMESPACES = new Set(['request', 'getToken', 'baseUrl', 'kitchenSocket', 'options', 'operations']);
/** Argument names the runtime reads itself. */
const RESERVED_ARGS = new Set(['body', 'idempotencyKey']);

interface Op {
  key: string;
  id: string;
  ns: string;
  fn: string;
  method: string;
  path: string;
  op: Operation;
}

const pascal = (s: string) => s.replace(/(^|[^A-Za-z0-9])([a-z])/g, (_, __, c: string) => c.toUpperCase());
const typeBase = (id: string) => id.split('.').map(pascal).join('');

function docComment(lines: (string | undefined)[]): string {
  const text = lines
    .filter((l): l is string => !!l && l.trim() !== '')
    .join('\n\n')
    .replace(/\*\//g, '*\\/');
  if (!text) return '';
  const body = text.split('\n');
  if (body.length === 1) return `/** ${body[0]} */\n`;
  return `/**\n${body.map((l) => (l ? ` * ${l}` : ' *')).join('\n')}\n */\n`;
}

/** Every operation the SDK exposes, sorted by name, and the ones it leaves out (with why). */
export function collectOperations(doc: Document): { ops: Op[]; omitted: string[] } {
  const ops: Op[] = [];
  const omitted: string[] = [];
  const seen = new Map<string, string>();
  for (const path of Object.keys(doc.paths ?? {}).sort()) {
    for (const method of METHODS) {
      const op = doc.paths![path]![method];
      if (!op) continue;
      const key = `${method.toUpperCase()} ${path}`;
      const id = op.operationId;
      if (!id) throw new Error(`${key} has no operationId: name it on its route`);
      const clash = seen.get(id);
      if (clash) throw new Error(`${key} and ${clash} are both ${id}: operationIds are unique`);
      seen.set(id, key);
      const successes = Object.keys(op.responses ?? {}).filter((s) => /^2\d\d$/.test(s));
      if (op['x-sdk-omit'] || successes.length === 0) {
        omitted.push(`${key} (${id}): ${op['x-sdk-omit'] ?? 'no 2xx response'}`);
        continue;
      }
      const [ns, fn, ...rest] = id.split('.');
      if (!ns || !fn || rest.length > 0 || !IDENT.test(ns) || !IDENT.test(fn)) {
        throw new Error(`${key}: operationId ${id} is not \`area.verb\``);
      }
      if (RESERVED_NAMESPACES.has(ns)) throw new Error(`${key}: ${ns} is a name the client uses itself`);
      ops.push({ key, id, ns, fn, method: method.toUpperCase(), path, op });
    }
  }
  ops.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { ops, omitted };
}

/** How the runtime builds one operation's request (an `OperationSpec` literal). */
function spec(o: Op): string {
  const params = o.op.parameters ?? [];
  const declared = [...o.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  for (const d of declared) {
    if (!params.some((p) => p.in === 'path' && p.name === d))
      throw new Error(`${o.key}: path parameter ${d} is not declared`);
  }
  const query = params.filter((p) => p.in === 'query').map((p) => p.name);
  for (const name of [...declared, ...query]) {
    if (RESERVED_ARGS.has(name)) throw new Error(`${o.key}: parameter ${name} clashes with a reserved argument`);
  }
  const idempotent = o.op['x-idempotent'] === true;
  const takesKey = params.some((p) => p.in === 'header' && p.name.toLowerCase() === 'idempotency-key');
  if (idempotent !== takesKey) {
    throw new Error(`${o.key}: x-idempotent and the Idempotency-Key header parameter go together`);
  }
  const content = Object.keys(o.op.requestBody?.content ?? {});
  const textBody = content.filter((c) => c !== 'application/json').sort()[0];
  const auth = o.op['x-auth'] ?? (o.op.security?.length ? 'required' : 'optional');
  const list = (xs: string[]) => `[${xs.map((x) => `'${x}'`).join(', ')}]`;
  return [
    `method: '${o.method}'`,
    `path: '${o.path}'`,
    `pathParams: ${list(declared)}`,
    `query: ${list(query)}`,
    `hasBody: ${content.length > 0}`,
    `creates: ${idempotent}`,
    `auth: '${auth}'`,
    ...(textBody ? [`textBody: '${textBody}'`] : []),
  ].join(', ');
}

/** Whether a call may leave out its argument object (nothing in it is required). */
function argsOptional(o: Op): boolean {
  const params = o.op.parameters ?? [];
  return (
    !params.some((p) => (p.in === 'path' || p.in === 'query') && p.required) && o.op.requestBody?.required !== true
  );
}

/** The source of `generated/operations.ts`. */
export function emitOperations(doc: Document, header: string): string {
  const { ops, omitted } = collectOperations(doc);
  const types: string[] = [];
  const table: string[] = [];
  const api = new Map<string, string[]>();
  for (const o of ops) {
    const base = typeBase(o.id);
    const idempotent = o.op['x-idempotent'] === true ? ' & Idempotent' : '';
    types.push(
      `export type ${base}Args = ArgsOf<Op['${o.id}']>${idempotent};`,
      `export type ${base}Result = ResultOf<Op['${o.id}']>;`,
    );
    table.push(`'${o.id}': { ${spec(o)} },`);
    const doc = docComment([o.op.summary, o.op.description, `\`${o.key}\``]);
    const sig = `${o.fn}(args${argsOptional(o) ? '?' : ''}: ${base}Args, options?: CallOptions): Promise<${base}Result>;`;
    api.set(o.ns, [...(api.get(o.ns) ?? []), doc + sig]);
  }
  const namespaces = [...api.keys()].sort();
  return [
    header,
    `import type { CallOptions, OperationSpec } from '../client.js';`,
    `import type { ArgsOf, Idempotent, ResultOf } from '../operation-types.js';`,
    `import type { operations as Op } from './openapi.js';`,
    '',
    types.join('\n'),
    '',
    '/** Every operation by its operationId: how the runtime builds its request. `creates`: an `Idempotency-Key` is sent (generated when not given). */',
    `export const operations = {\n${table.join('\n')}\n} as const satisfies Record<string, OperationSpec>;`,
    '',
    'export type OperationName = keyof typeof operations;',
    '',
    `/*\n * Not in the SDK (x-sdk-omit):\n${omitted.map((s) => ` *   ${s.replace(/\*\//g, '*\\/')}`).join('\n')}\n */`,
    '',
    '/** The API, grouped by area: `client.orders.place({ storeId, body })` for operationId `orders.place`. */',
    `export interface TiffinApi {\n${namespaces.map((ns) => `${ns}: {\n${api.get(ns)!.join('\n\n')}\n};`).join('\n')}\n}`,
    '',
  ].join('\n');
}
