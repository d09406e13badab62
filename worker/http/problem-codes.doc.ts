import { type ProblemCode, problemCodes } from '../../domain/problem-codes';

/**
 * Lists, on every problem response of every operation, the problem `code`s it can carry:
 * as `x-problem-codes` (for tools and the conformance run) and in the description (for
 * people reading /docs). A code is listed where its status is documented and its family
 * (the part before the dot) is one the operation can raise: the families every operation
 * shares, the families of its tag, and the family of each record its path names.
 */

/** What any operation can answer: a bad request, a token problem, a limit, our own fault. */
const EVERY_OPERATION: ProblemCode[] = [
  'request.malformed_json',
  'request.malformed_form',
  'request.too_large',
  'request.unsupported_media_type',
  'validation.failed',
  'auth.unauthorized',
  'auth.token_revoked',
  'auth.account_refused',
  'auth.token_in_query',
  'auth.forbidden',
  'rate.limited',
  'http.unexpected',
];

/** The families each tag's operations can raise, beyond the ones their path names. */
const FAMILIES_BY_TAG: Record<string, string[]> = {
  Auth: ['auth', 'phone', 'sms', 'member', 'brand'],
  'Auth: staff and admins': ['auth', 'account', 'invitation'],
  Stores: ['store', 'table'],
  Menu: ['store', 'menu'],
  Payments: ['payment', 'order', 'wallet', 'refund', 'points', 'member', 'store'],
  'Printers (CloudPRNT)': ['printer', 'device'],
  Kitchen: ['kitchen', 'printer', 'order', 'store'],
  Orders: [
    'order',
    'store',
    'session',
    'table',
    'coupon',
    'promotion',
    'idempotency',
    'payment',
    'refund',
    'points',
    'member',
    'item',
    'wallet',
    'menu',
    'group',
  ],
  Members: ['member', 'phone', 'sms', 'points', 'wallet', 'coupon', 'order', 'review', 'media'],
  Loyalty: [
    'points',
    'coupon',
    'checkin',
    'dice',
    'referral',
    'member',
    'catalog_item',
    'code',
    'store',
    'review',
    'media',
  ],
  Campaigns: ['campaign', 'bargain', 'group', 'drop', 'code', 'coupon', 'order', 'member', 'store', 'item'],
  'Table sessions': ['session', 'table', 'store', 'order'],
  Analytics: ['store', 'brand'],
  Alerts: ['alert', 'notice', 'store'],
  Reviews: ['review', 'order', 'store', 'media', 'coupon'],
  'Admin: catalog': ['item', 'category', 'catalog', 'media', 'menu', 'brand', 'store'],
  Media: ['media'],
  Invoices: ['invoice', 'order', 'payment', 'store'],
  Stock: ['item', 'store', 'order'],
  'Admin: stores': ['store', 'table', 'device', 'staff', 'brand', 'printer'],
  'Admin: loyalty': ['coupon', 'coupon_template', 'points', 'catalog_item', 'brand'],
  'Admin: campaigns': ['campaign', 'dead_letter', 'coupon', 'coupon_template', 'brand'],
  'Admin: accounts': ['account', 'admin', 'invitation', 'staff', 'store'],
  'Admin: promotions': ['promotion', 'item', 'category', 'brand', 'store'],
  Devices: ['device'],
  'Admin: partner keys': ['partner_key', 'store', 'brand'],
  Partners: ['store', 'order', 'item', 'menu', 'brand'],
  'Admin: webhooks': ['webhook', 'delivery', 'brand'],
  'Admin: delivery platforms': ['channel_binding', 'store', 'brand', 'menu'],
  'Delivery platforms': [],
  'Delivery dispatch': ['dispatch', 'order', 'store', 'carrier'],
  'Admin: carriers': ['carrier', 'store', 'brand'],
  Riders: ['rider', 'order', 'store'],
  Rider: ['rider', 'order'],
  'Delivery slots': ['store'],
  Games: ['wheel', 'points', 'coupon', 'member', 'referral'],
  'Admin: games': ['wheel', 'secret_word', 'item', 'coupon_template', 'brand', 'store'],
  'Secret words': ['secret_word', 'member', 'store'],
  Experiments: ['experiment', 'member'],
  'Admin: experiments': ['experiment', 'campaign', 'coupon_template', 'brand'],
};

/** A path parameter names a record, whose `<family>.not_found` the operation can answer. */
const familyOfParam = (name: string) =>
  name
    .replace(/Id$/, '')
    .replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)
    .replace(/^template$/, 'coupon_template');

const familyOf = (code: string) => code.slice(0, code.indexOf('.'));

interface Operation {
  tags?: string[];
  parameters?: { in?: string; name?: string }[];
  responses?: Record<string, { description?: string; content?: Record<string, unknown> } & Record<string, unknown>>;
}

/** The codes an operation can answer, by status. */
export function problemCodesOf(path: string, op: Operation): Map<number, ProblemCode[]> {
  const families = new Set((op.tags ?? []).flatMap((t) => FAMILIES_BY_TAG[t] ?? []));
  for (const [, name] of path.matchAll(/\{(\w+)\}/g)) families.add(familyOfParam(name!));
  const byStatus = new Map<number, ProblemCode[]>();
  for (const code of Object.keys(problemCodes) as ProblemCode[]) {
    if (!EVERY_OPERATION.includes(code) && !families.has(familyOf(code))) continue;
    const status = problemCodes[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return byStatus;
}

const METHODS = ['get', 'put', 'post', 'patch', 'delete'];

/** A copy of the document with each problem response's codes written onto it. */
export function withProblemCodes<D extends object>(generated: D): D {
  // The generator hands back the routes' own objects, shared between operations: write on a copy.
  const doc = structuredClone(generated);
  const paths = (doc as { paths?: Record<string, Record<string, unknown>> }).paths ?? {};
  for (const [path, item] of Object.entries(paths)) {
    for (const method of METHODS) {
      const op = item[method] as Operation | undefined;
      if (!op?.responses) continue;
      const codes = problemCodesOf(path, op);
      for (const [status, response] of Object.entries(op.responses)) {
        const listed = codes.get(Number(status));
        if (Number(status) < 400 || !listed) continue;
        // The shared response objects are reused across operations: each gets its own copy.
        op.responses[status] = {
          ...response,
          description: `${response.description ?? ''} (codes: ${listed.map((c) => `\`${c}\``).join(', ')})`,
          'x-problem-codes': listed,
        };
      }
    }
  }
  return doc;
}
