import { potstickers } from '../support/factories';
import type { Json } from '../support/fixtures';
import type { CallOptions } from '../support/http';
import { deref, type Operation, sampleOf, wrongTypeFor } from './document';
import type { World } from './world';

/** A request the run sends: where, and how. */
export interface Sent extends CallOptions {
  url: string;
  variant: string;
}

/**
 * Bodies the generator cannot guess because the server checks them against records
 * (a dish on this store's menu, a payment method it offers). Everything else comes from
 * the document alone.
 */
const HINTS: Record<string, (w: World) => { body?: unknown; query?: Record<string, string> }> = {
  'auth.dev': () => ({ body: { role: 'member', subject: 'mem_conformance_dev' } }),
  'orders.place': () => ({ body: { mode: 'pickup', lines: [potstickers()] } }),
  'orders.quote': () => ({ body: { mode: 'pickup', lines: [potstickers()] } }),
  'payments.start': () => ({ body: { method: 'sandbox' } }),
  'stock.set': () => ({ body: { stock: 50 } }),
};

const OVERLONG = 'x'.repeat(300);

function fill(path: string, values: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? `missing_${name}`));
}

function jsonBodySchema(op: Json, doc: Json): { type: string; schema: Json } | undefined {
  const content = deref(doc, op.requestBody)?.content as Record<string, Json> | undefined;
  if (!content) return undefined;
  const type = 'application/json' in content ? 'application/json' : Object.keys(content)[0]!;
  return { type, schema: content[type].schema };
}

/** The plausible request for an operation: path from the world's records, the rest sampled from the document. */
export function validRequest(doc: Json, o: Operation, w: World): Sent {
  const params = (o.op.parameters ?? []).map((p: Json) => deref(doc, p));
  const values: Record<string, string> = {};
  for (const p of params.filter((p: Json) => p.in === 'path')) {
    values[p.name] = w.params[p.name] ?? String(sampleOf(doc, p.schema));
  }
  const hint = HINTS[o.id]?.(w) ?? {};
  const query = new URLSearchParams();
  for (const p of params.filter((p: Json) => p.in === 'query' && p.required)) {
    query.set(p.name, p.name === 'storeId' ? w.storeId : String(sampleOf(doc, p.schema)));
  }
  for (const [k, v] of Object.entries(hint.query ?? {})) query.set(k, v);
  const headers: Record<string, string> = {};
  for (const p of params.filter((p: Json) => p.in === 'header' && p.required)) {
    headers[p.name] = String(sampleOf(doc, p.schema));
  }
  const qs = query.toString();
  const sent: Sent = { url: fill(o.path, values) + (qs ? `?${qs}` : ''), method: o.method, headers, variant: 'valid' };
  const body = jsonBodySchema(o.op, doc);
  if (body) {
    const sample = hint.body ?? sampleOf(doc, body.schema);
    if (body.type.includes('json')) sent.body = sample;
    else sent.raw = typeof sample === 'string' ? sample : '';
    sent.contentType = body.type;
  }
  return sent;
}

/** Broken variants of the valid request: no body, a property of the wrong type, each path parameter over-long. */
export function invalidRequests(doc: Json, o: Operation, valid: Sent): Sent[] {
  const out: Sent[] = [];
  const body = jsonBodySchema(o.op, doc);
  if (body) {
    out.push({ ...valid, body: undefined, raw: undefined, variant: 'no body' });
    const schema = deref(doc, body.schema) ?? {};
    const key = (schema.required ?? Object.keys(schema.properties ?? {}))[0] as string | undefined;
    const wrong =
      key && valid.body && typeof valid.body === 'object' && !Array.isArray(valid.body)
        ? { ...(valid.body as object), [key]: wrongTypeFor(doc, schema.properties?.[key]) }
        : [];
    if (body.type.includes('json')) out.push({ ...valid, body: wrong, variant: `wrong type${key ? ` (${key})` : ''}` });
  }
  const names = [...o.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  for (const name of names) {
    const parts = o.path.split('/');
    const url = valid.url
      .split('?')[0]!
      .split('/')
      .map((seg, i) => (parts[i] === `{${name}}` ? OVERLONG : seg))
      .join('/');
    out.push({
      ...valid,
      url: url + (valid.url.includes('?') ? `?${valid.url.split('?')[1]}` : ''),
      variant: `over-long ${name}`,
    });
  }
  return out;
}
