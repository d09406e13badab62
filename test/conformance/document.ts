import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { Json } from '../support/fixtures';

/** One operation of the document, as the conformance run walks it. */
export interface Operation {
  method: string;
  path: string;
  id: string;
  op: Json;
}

export const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

export function operationsOf(doc: Json): Operation[] {
  return Object.entries(doc.paths as Record<string, Json>).flatMap(([path, ops]) =>
    Object.entries(ops as Record<string, Json>)
      .filter(([m]) => METHODS.includes(m))
      .map(([method, op]) => ({ method: method.toUpperCase(), path, id: op.operationId as string, op })),
  );
}

/** Follows a local `$ref` (`#/components/schemas/Problem`). */
export function deref(doc: Json, node: Json): Json {
  let n = node;
  while (n && typeof n === 'object' && typeof n.$ref === 'string') {
    n = n.$ref
      .slice(2)
      .split('/')
      .reduce((o: Json, k: string) => o?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
  }
  return n;
}

/**
 * A validator for the document's schemas. OpenAPI 3.1 schemas are JSON Schema 2020-12;
 * `#/components/...` refs resolve against the document, added whole under its own id.
 */
export function schemaChecker(doc: Json) {
  const ajv = new Ajv2020({ strict: false, allErrors: true, logger: false, validateFormats: true });
  addFormats(ajv);
  ajv.addSchema({ $id: 'openapi.json', components: doc.components }, 'openapi.json');
  const compiled = new Map<string, ReturnType<typeof ajv.compile>>();
  return (schema: Json, value: unknown): string | null => {
    const text = JSON.stringify(schema).replace(/"#\/components\//g, '"openapi.json#/components/');
    let validate = compiled.get(text);
    if (!validate) {
      validate = ajv.compile(JSON.parse(text));
      compiled.set(text, validate);
    }
    return validate(value) ? null : ajv.errorsText(validate.errors, { separator: '; ' });
  };
}

const STRING_CANDIDATES = ['sample', 'abc', 'A', 'AB', '12:00', '2026-12-01', '1234', 'zh', 'x1', 'ABCDEFGHJKLMNPQ1'];

function sampleString(s: Json): string {
  if (s.format === 'date-time') return '2026-12-01T12:00:00+08:00';
  if (s.format === 'date') return '2026-12-01';
  if (s.format === 'email') return 'guest@example.com';
  if (s.format === 'uri' || s.format === 'url') return 'https://example.com/';
  if (s.format === 'uuid') return '00000000-0000-4000-8000-000000000000';
  const min = s.minLength ?? 0;
  const max = s.maxLength ?? 1000;
  const fits = (v: string) => v.length >= min && v.length <= max && (!s.pattern || new RegExp(s.pattern, 'u').test(v));
  const found = STRING_CANDIDATES.find(fits);
  if (found !== undefined) return found;
  return 'x'.repeat(Math.max(min, 1));
}

function sampleNumber(s: Json): number {
  let v = 1;
  if (typeof s.minimum === 'number') v = Math.max(v, s.minimum);
  if (typeof s.exclusiveMinimum === 'number') v = Math.max(v, s.exclusiveMinimum + 1);
  if (typeof s.maximum === 'number') v = Math.min(v, s.maximum);
  if (typeof s.exclusiveMaximum === 'number') v = Math.min(v, s.exclusiveMaximum - 1);
  if (typeof s.multipleOf === 'number') v = Math.ceil(v / s.multipleOf) * s.multipleOf;
  return s.type === 'integer' ? Math.round(v) : v;
}

/**
 * A plausible value for a schema: its example, const, first enum value or default when it
 * has one, otherwise built from its type and bounds (required properties only).
 */
export function sampleOf(doc: Json, schema: Json, depth = 0): unknown {
  const s = deref(doc, schema);
  if (!s || typeof s !== 'object' || depth > 12) return null;
  if (s.example !== undefined) return s.example;
  if (Array.isArray(s.examples) && s.examples.length) return s.examples[0];
  if (s.const !== undefined) return s.const;
  if (Array.isArray(s.enum)) return s.enum[0];
  if (s.default !== undefined) return s.default;
  if (Array.isArray(s.allOf)) {
    return Object.assign({}, ...s.allOf.map((p: Json) => sampleOf(doc, p, depth + 1)));
  }
  const alternatives = s.oneOf ?? s.anyOf;
  if (Array.isArray(alternatives)) {
    const pick = alternatives.find((a: Json) => deref(doc, a)?.type !== 'null') ?? alternatives[0];
    return sampleOf(doc, pick, depth + 1);
  }
  const type = Array.isArray(s.type) ? s.type.find((t: string) => t !== 'null') : s.type;
  switch (type ?? (s.properties ? 'object' : undefined)) {
    case 'string':
      return sampleString(s);
    case 'integer':
    case 'number':
      return sampleNumber(s);
    case 'boolean':
      return true;
    case 'array': {
      const n = Math.min(Math.max(s.minItems ?? 1, 1), s.maxItems ?? 1);
      return Array.from({ length: n }, () => sampleOf(doc, s.items ?? {}, depth + 1));
    }
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const key of s.required ?? []) out[key] = sampleOf(doc, s.properties?.[key] ?? {}, depth + 1);
      return out;
    }
    default:
      return null;
  }
}

/** A value of the wrong JSON type for a schema. */
export function wrongTypeFor(doc: Json, schema: Json): unknown {
  const s = deref(doc, schema) ?? {};
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  if (type === 'string') return 12345;
  if (type === 'array') return { not: 'an array' };
  if (type === 'object') return 'not an object';
  return 'not a number';
}
