/**
 * Generates the typed client SDK (`client-sdk/src/generated/`) from the API's own OpenAPI
 * document, exactly as `/openapi.json` serves it.
 *
 *   npm run sdk          writes client-sdk/src/generated/{types,operations}.ts
 *   npm run sdk:check    exits 1 when the committed files differ from what the API produces
 *
 * The output is deterministic (sorted schemas and paths, no timestamps) and formatted with the
 * project's biome config, so the check compares byte for byte.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app } from '../worker/app.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT_DIR = join(ROOT, 'client-sdk/src/generated');

// ---------------------------------------------------------------------------------------------
// Naming. Core operations get hand-picked names; everything else is derived from its tag,
// method and path. A derived name that collides fails the generator: add it here.
// ---------------------------------------------------------------------------------------------

const NAMES: Record<string, string> = {
  'POST /v1/auth/dev': 'auth.dev',
  'POST /v1/auth/wechat': 'auth.wechat',
  'GET /.well-known/jwks.json': 'auth.jwks',
  'GET /v1/stores': 'stores.list',
  'GET /v1/stores/{storeId}': 'stores.get',
  'GET /v1/tables/{qrToken}': 'stores.resolveTable',
  'GET /v1/stores/{storeId}/menu': 'menu.get',
  'POST /v1/stores/{storeId}/quote': 'orders.quote',
  'POST /v1/stores/{storeId}/orders': 'orders.place',
  'GET /v1/stores/{storeId}/orders': 'orders.listForStore',
  'GET /v1/orders/{orderId}': 'orders.get',
  'POST /v1/orders/{orderId}/{action}': 'orders.act',
  'POST /v1/orders/{orderId}/reorder': 'orders.reorder',
  'GET /v1/members/me/orders': 'orders.mine',
  'PUT /v1/stores/{storeId}/stock/{itemId}': 'stock.set',
  'GET /v1/stores/{storeId}/stock': 'stock.list',
  'POST /v1/orders/{orderId}/payments': 'payments.start',
  'GET /v1/orders/{orderId}/payments': 'payments.list',
  'POST /v1/payments/sandbox/{paymentId}/complete': 'payments.sandboxComplete',
  'POST /v1/orders/{orderId}/refunds': 'payments.refund',
  'GET /v1/members/me/wallet': 'members.wallet',
  'POST /v1/members/me/wallet/topups': 'members.topUp',
  'GET /v1/tables/{qrToken}/session': 'sessions.forTable',
  'GET /v1/stores/{storeId}/printers': 'kitchen.printers',
  'POST /v1/orders/{orderId}/reprint': 'kitchen.reprint',
  'GET /v1/stores/{storeId}/pickup-board': 'kitchen.pickupBoard',
  'PUT /v1/admin/menu/order': 'admin.setMenuOrder',
  'PUT /v1/admin/stores/{storeId}/items/{itemId}': 'admin.setStoreItem',
  'POST /v1/admin/menu/publish': 'admin.publishMenu',
  'POST /v1/admin/menu/import': 'admin.importMenu',
  'GET /v1/admin/menu/export': 'admin.exportMenu',
  'GET /v1/admin/staff': 'admin.listStaff',
  'POST /v1/admin/staff': 'admin.createStaff',
  'GET /v1/stores/{storeId}/sessions': 'sessions.list',
  'GET /v1/stores/{storeId}/sessions/{sessionId}': 'sessions.get',
  'GET /v1/stores/{storeId}/sessions/{sessionId}/bill': 'sessions.bill',
  'POST /v1/devices/provision': 'devices.provision',
};

/** Namespaces for tags whose plain camel-case reads badly. */
const TAG_NAMESPACES: Record<string, string> = {
  'Table sessions': 'sessions',
};

/** Operations the SDK leaves out, and why (kept in the generated file as a comment). */
const SKIP: Record<string, string> = {
  'GET /v1/stores/{storeId}/kitchen': 'a WebSocket: use KitchenSocket',
  'POST /v1/payments/{provider}/notify': 'called by payment providers, not clients',
  'POST /v1/devices/cloudprnt': 'called by Star CloudPRNT printers',
  'GET /v1/devices/cloudprnt': 'called by Star CloudPRNT printers',
  'DELETE /v1/devices/cloudprnt': 'called by Star CloudPRNT printers',
};

/** Calls made to obtain a token: never given one, never refreshed (a token provider may call them). */
const NO_AUTH = new Set([
  'POST /v1/auth/dev',
  'POST /v1/auth/wechat',
  'GET /.well-known/jwks.json',
  'POST /v1/devices/provision',
]);

/** Names the client object uses itself. */
const RESERVED_NAMESPACES = new Set(['request', 'kitchenSocket', 'options', 'operations']);

// ---------------------------------------------------------------------------------------------
// OpenAPI shapes (only what the generator reads)
// ---------------------------------------------------------------------------------------------

interface Schema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  description?: string;
  default?: unknown;
  format?: string;
}
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
  description?: string;
}
interface Media {
  schema?: Schema;
}
interface Operation {
  tags?: string[];
  summary?: string;
  description?: string;
  operationId?: string;
  security?: unknown[];
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, Media> };
  responses?: Record<string, { description?: string; content?: Record<string, Media> }>;
}
interface Document {
  info: { title: string; version: string };
  paths?: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

// ---------------------------------------------------------------------------------------------
// JSON Schema → TypeScript
// ---------------------------------------------------------------------------------------------

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const propKey = (k: string) => (IDENT.test(k) ? k : JSON.stringify(k));
const pascal = (s: string) =>
  s
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
const camel = (s: string) => {
  const p = pascal(s);
  return p ? p[0]!.toLowerCase() + p.slice(1) : p;
};

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

const literal = (v: unknown) => JSON.stringify(v);
const isAnnotationOnly = (s: Schema) =>
  !s.$ref &&
  !s.type &&
  !s.properties &&
  !s.allOf &&
  !s.anyOf &&
  !s.oneOf &&
  !s.enum &&
  s.const === undefined &&
  !s.items;
/** Whether a type has a `|` or `&` at its top level (outside braces, brackets and strings). */
function isCompound(t: string): boolean {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < t.length; i++) {
    const ch = t[i]!;
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if ('{([<'.includes(ch)) depth++;
    else if ('})]>'.includes(ch)) depth--;
    else if (depth === 0 && (ch === '|' || ch === '&')) return true;
  }
  return false;
}
const wrap = (t: string) => (isCompound(t) ? `(${t})` : t);

class Emitter {
  constructor(private readonly refPrefix: string) {}

  type(s: Schema | boolean | undefined): string {
    if (s === undefined || s === true) return 'unknown';
    if (s === false) return 'never';
    if (s.$ref) {
      const m = /^#\/components\/schemas\/(.+)$/.exec(s.$ref);
      if (!m) throw new Error(`unsupported $ref ${s.$ref}`);
      return this.refPrefix + typeName(m[1]!);
    }
    if (s.const !== undefined) return literal(s.const);
    if (s.enum) return union(s.enum.map(literal));
    if (s.allOf) {
      const parts = s.allOf.filter((p) => !isAnnotationOnly(p)).map((p) => wrap(this.type(p)));
      const own = s.properties ? [this.object(s)] : [];
      const all = [...parts, ...own];
      return all.length === 0 ? 'unknown' : all.length === 1 ? all[0]! : all.join(' & ');
    }
    const alts = s.anyOf ?? s.oneOf;
    if (alts) return union(alts.map((a) => this.type(a)));
    if (Array.isArray(s.type)) return union(s.type.map((t) => this.single(t, s)));
    if (s.type) return this.single(s.type, s);
    if (s.properties || s.additionalProperties !== undefined) return this.object(s);
    if (s.items) return this.single('array', s);
    return 'unknown';
  }

  private single(t: string, s: Schema): string {
    switch (t) {
      case 'string':
        return 'string';
      case 'integer':
      case 'number':
        return 'number';
      case 'boolean':
        return 'boolean';
      case 'null':
        return 'null';
      case 'array':
        return `${wrap(this.type(s.items))}[]`;
      case 'object':
        return this.object(s);
      default:
        throw new Error(`unsupported type ${t}`);
    }
  }

  object(s: Schema): string {
    const props = Object.entries(s.properties ?? {});
    const ap = s.additionalProperties;
    if (props.length === 0) {
      if (ap === false) return 'Record<string, never>';
      return `Record<string, ${typeof ap === 'object' ? this.type(ap) : 'unknown'}>`;
    }
    const required = new Set(s.required ?? []);
    const members = props.map(([k, p]) => {
      const doc = docComment([p.description, p.default !== undefined ? `@default ${literal(p.default)}` : undefined]);
      return `${doc}${propKey(k)}${required.has(k) ? '' : '?'}: ${this.type(p)};`;
    });
    if (ap !== undefined && ap !== false) members.push('[key: string]: unknown;');
    return `{\n${members.join('\n')}\n}`;
  }
}

function union(types: string[]): string {
  const unique = [...new Set(types)];
  // `&` binds tighter than `|`, so members need no parentheses.
  return unique.length === 0 ? 'never' : unique.join(' | ');
}

const typeName = (name: string) => pascal(name);

// ---------------------------------------------------------------------------------------------
// Operations
// ---------------------------------------------------------------------------------------------

const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;

interface Op {
  key: string;
  name: string;
  ns: string;
  fn: string;
  method: string;
  path: string;
  op: Operation;
}

const plural = (w: string) => /[^s]s$/.test(w);
const singular = (w: string) => (w.endsWith('ies') ? `${w.slice(0, -3)}y` : plural(w) ? w.slice(0, -1) : w);
const isParam = (seg: string) => seg.startsWith('{');

function namespaceOf(op: Operation): string {
  const tag = op.tags?.[0] ?? 'misc';
  if (TAG_NAMESPACES[tag]) return TAG_NAMESPACES[tag];
  return camel(tag.split(':')[0]!.replace(/\(.*?\)/g, ''));
}

/** GET /x → listX, GET /x/{id} → getX, POST /x → createX, POST /x/{id}/do-it → doIt, PATCH → updateX… */
function deriveName(method: string, path: string): string {
  const segs = path.split('/').filter((s) => s && s !== 'v1');
  const last = segs.at(-1) ?? 'root';
  if (isParam(last)) {
    const noun = pascal(singular(segs.filter((s) => !isParam(s)).at(-1) ?? 'item'));
    const verb = { get: 'get', put: 'set', patch: 'update', delete: 'delete', post: 'act' }[method]!;
    return verb + noun;
  }
  const word = pascal(last);
  switch (method) {
    case 'get':
      return (plural(last) ? 'list' : 'get') + word;
    case 'post':
      return plural(last) ? `create${pascal(singular(last))}` : camel(last);
    case 'put':
      return `set${word}`;
    case 'patch':
      return `update${word}`;
    default:
      return `delete${word}`;
  }
}

function collectOperations(doc: Document): { ops: Op[]; skipped: string[] } {
  const ops: Op[] = [];
  const skipped: string[] = [];
  const seen = new Map<string, string>();
  for (const path of Object.keys(doc.paths ?? {}).sort()) {
    const item = doc.paths![path]!;
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const key = `${method.toUpperCase()} ${path}`;
      const successes = Object.keys(op.responses ?? {}).filter((s) => /^2\d\d$/.test(s));
      if (SKIP[key] || successes.length === 0) {
        skipped.push(`${key}: ${SKIP[key] ?? 'no 2xx response'}`);
        continue;
      }
      const name = NAMES[key] ?? `${namespaceOf(op)}.${deriveName(method, path)}`;
      const [ns, fn] = name.split('.') as [string, string];
      if (!ns || !fn || !IDENT.test(ns) || !IDENT.test(fn)) throw new Error(`bad operation name ${name} for ${key}`);
      if (RESERVED_NAMESPACES.has(ns)) throw new Error(`${key}: namespace ${ns} is reserved; add it to NAMES`);
      const clash = seen.get(name);
      if (clash) throw new Error(`${key} and ${clash} are both named ${name}: add one to NAMES in ${__filename()}`);
      seen.set(name, key);
      ops.push({ key, name, ns, fn, method: method.toUpperCase(), path, op });
    }
  }
  ops.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { ops, skipped };
}

const __filename = () => relative(ROOT, fileURLToPath(import.meta.url));

const IDEMPOTENCY_HEADER = 'idempotency-key';
const RESERVED_ARGS = new Set(['body', 'idempotencyKey']);

function emitOperations(doc: Document, ops: Op[], skipped: string[]): string {
  const t = new Emitter('T.');
  const out: string[] = [];
  const table: string[] = [];
  const api = new Map<string, string[]>();

  for (const o of ops) {
    const params = o.op.parameters ?? [];
    const pathParams = params.filter((p) => p.in === 'path');
    const query = params.filter((p) => p.in === 'query');
    const takesKey = params.some((p) => p.in === 'header' && p.name.toLowerCase() === IDEMPOTENCY_HEADER);
    const declared = [...o.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
    for (const d of declared) {
      if (!pathParams.some((p) => p.name === d)) throw new Error(`${o.key}: path parameter ${d} is not declared`);
    }
    for (const p of [...pathParams, ...query]) {
      if (RESERVED_ARGS.has(p.name)) throw new Error(`${o.key}: parameter ${p.name} clashes with a reserved argument`);
    }

    // Request body: JSON, and/or a raw text type (CSV import).
    const content = o.op.requestBody?.content ?? {};
    const json = content['application/json'];
    const textType = Object.keys(content)
      .filter((c) => c !== 'application/json')
      .sort()[0];
    const hasBody = Object.keys(content).length > 0;
    const bodyRequired = hasBody && o.op.requestBody?.required === true;
    const bodyTypes = [...(json ? [t.type(json.schema)] : []), ...(textType ? ['string'] : [])];

    const argsName = `${pascal(o.ns)}${pascal(o.fn)}Args`;
    const resultName = `${pascal(o.ns)}${pascal(o.fn)}Result`;
    const fields: string[] = [];
    for (const p of declared.map((d) => pathParams.find((x) => x.name === d)!)) {
      fields.push(`${docComment([p.description ?? p.schema?.description])}${propKey(p.name)}: ${t.type(p.schema)};`);
    }
    for (const p of query) {
      const doc = docComment([
        p.description ?? p.schema?.description,
        p.schema?.default !== undefined ? `@default ${literal(p.schema.default)}` : undefined,
      ]);
      fields.push(`${doc}${propKey(p.name)}${p.required ? '' : '?'}: ${t.type(p.schema)};`);
    }
    if (takesKey) {
      fields.push(
        `${docComment(['`Idempotency-Key`: generated when omitted and reused across retries, so a retried call acts once.'])}idempotencyKey?: string;`,
      );
    }
    if (hasBody) {
      const doc = textType ? docComment([`JSON, or a string sent as \`${textType}\`.`]) : '';
      fields.push(`${doc}body${bodyRequired ? '' : '?'}: ${union(bodyTypes)};`);
    }
    const argsOptional = declared.length === 0 && !query.some((q) => q.required) && !bodyRequired;
    out.push(
      fields.length
        ? `export interface ${argsName} {\n${fields.join('\n')}\n}`
        : `export type ${argsName} = Record<string, never>;`,
    );

    // 2xx responses: JSON bodies, raw text, or nothing.
    const results: string[] = [];
    for (const status of Object.keys(o.op.responses ?? {}).sort()) {
      if (!/^2\d\d$/.test(status)) continue;
      const res = o.op.responses![status]!;
      const types = Object.keys(res.content ?? {}).sort();
      if (types.length === 0) results.push('undefined');
      for (const ct of types) results.push(/json/.test(ct) ? t.type(res.content![ct]!.schema) : 'string');
    }
    out.push(`export type ${resultName} = ${union(results)};`);

    const auth = NO_AUTH.has(o.key) ? 'none' : o.op.security?.length ? 'required' : 'optional';
    const entry = [
      `method: '${o.method}'`,
      `path: '${o.path}'`,
      `pathParams: [${declared.map((d) => `'${d}'`).join(', ')}]`,
      `query: [${query.map((q) => `'${q.name}'`).join(', ')}]`,
      `hasBody: ${hasBody}`,
      `creates: ${takesKey}`,
      `auth: '${auth}'`,
      ...(textType ? [`textBody: '${textType}'`] : []),
    ];
    table.push(`'${o.name}': { ${entry.join(', ')} },`);

    const doc = docComment([o.op.summary, o.op.description, `\`${o.key}\``]);
    const sig = `${o.fn}(args${argsOptional ? '?' : ''}: ${argsName}, options?: CallOptions): Promise<${resultName}>;`;
    const list = api.get(o.ns) ?? [];
    list.push(doc + sig);
    api.set(o.ns, list);
  }

  const namespaces = [...api.keys()].sort();
  return [
    header(doc),
    `import type { CallOptions, OperationSpec } from '../client.js';`,
    `import type * as T from './types.js';`,
    '',
    out.join('\n\n'),
    '',
    '/** Every operation: how the runtime builds its request. `creates`: an `Idempotency-Key` is sent (generated when not given). */',
    `export const operations = {\n${table.join('\n')}\n} as const satisfies Record<string, OperationSpec>;`,
    '',
    'export type OperationName = keyof typeof operations;',
    '',
    skipped.length
      ? `/*\n * Not in the SDK:\n${skipped.map((s) => ` *   ${s.replace(/\*\//g, '*\\/')}`).join('\n')}\n */`
      : '',
    '',
    '/** The API, grouped by area: `client.orders.place({ storeId, body })`. */',
    `export interface TiffinApi {\n${namespaces
      .map((ns) => `${ns}: {\n${api.get(ns)!.join('\n\n')}\n};`)
      .join('\n')}\n}`,
    '',
  ].join('\n');
}

function emitTypes(doc: Document): string {
  const t = new Emitter('');
  const schemas = doc.components?.schemas ?? {};
  const decls = Object.keys(schemas)
    .sort()
    .map((name) => {
      const s = schemas[name]!;
      const rendered = t.type(s);
      const docText = docComment([s.description]);
      const isInterface =
        rendered.startsWith('{') && !Array.isArray(s.type) && !s.allOf && !s.anyOf && !s.oneOf && !!s.properties;
      return isInterface
        ? `${docText}export interface ${typeName(name)} ${rendered}`
        : `${docText}export type ${typeName(name)} = ${rendered};`;
    });
  return [header(doc), decls.join('\n\n'), ''].join('\n');
}

function header(doc: Document) {
  return (
    `// Generated by scripts/generate-sdk.ts from the ${doc.info.title} ${doc.info.version} OpenAPI document.\n` +
    '// Do not edit: change the API, then run `npm run sdk` (CI runs `npm run sdk:check`).\n'
  );
}

// ---------------------------------------------------------------------------------------------
// Formatting and output
// ---------------------------------------------------------------------------------------------

/** Formats with the project's biome config, through stdin, so the check needs no temp files. */
function format(file: string, source: string): string {
  const biome = join(ROOT, 'node_modules/.bin/biome');
  const r = spawnSync(biome, ['format', `--stdin-file-path=${relative(ROOT, file)}`], {
    cwd: ROOT,
    input: source,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0 || !r.stdout) {
    throw new Error(`biome format ${relative(ROOT, file)} failed:\n${r.stderr}\n${r.stdout}`);
  }
  return r.stdout;
}

function openApiDocument(): Document {
  // The same configuration `worker/app.ts` serves at /openapi.json, minus the per-request server URL.
  return app.getOpenAPI31Document({
    openapi: '3.1.0',
    info: { title: 'Tiffin API', version: '1.0.0' },
  }) as unknown as Document;
}

function main() {
  const check = process.argv.includes('--check');
  const doc = openApiDocument();
  const { ops, skipped } = collectOperations(doc);
  const files = {
    [join(OUT_DIR, 'types.ts')]: emitTypes(doc),
    [join(OUT_DIR, 'operations.ts')]: emitOperations(doc, ops, skipped),
  };
  const stale: string[] = [];
  for (const [file, source] of Object.entries(files)) {
    const formatted = format(file, source);
    let current: string | undefined;
    try {
      current = readFileSync(file, 'utf8');
    } catch {
      current = undefined;
    }
    if (current === formatted) continue;
    if (check) {
      const a = (current ?? '').split('\n');
      const b = formatted.split('\n');
      let line = 0;
      while (line < Math.max(a.length, b.length) && a[line] === b[line]) line++;
      stale.push(
        `  ${relative(ROOT, file)}${current === undefined ? ' (missing)' : ''}: first difference at line ${line + 1}\n` +
          `    committed: ${a[line] ?? '<end of file>'}\n    generated: ${b[line] ?? '<end of file>'}`,
      );
    } else {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, formatted);
      console.log(`wrote ${relative(ROOT, file)}`);
    }
  }
  if (check) {
    if (stale.length) {
      console.error(
        `The client SDK is out of date with the API (drift):\n${stale.join('\n')}\n` +
          'Run `npm run sdk` and commit client-sdk/src/generated.',
      );
      process.exit(1);
    }
    console.log(
      `client SDK is up to date: ${ops.length} operations, ${Object.keys(doc.components?.schemas ?? {}).length} schemas`,
    );
  } else {
    console.log(`${ops.length} operations, ${Object.keys(doc.components?.schemas ?? {}).length} schemas`);
  }
}

main();
