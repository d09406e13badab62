import { bodyLimit } from 'hono/body-limit';
import { accountsRouter } from './accounts/accounts.index';
import { adminRouter } from './admin/admin.index';
import { alertsRouter } from './alerts/alerts.index';
import { analyticsRouter } from './analytics/analytics.index';
import { authRouter } from './auth/auth.index';
import { guestAuthRouter } from './auth/guest-auth.index';
import { campaignsRouter } from './campaigns/campaigns.index';
import { groupsRouter } from './campaigns/groups.index';
import { channelPushRouter } from './channels/channels.index';
import { deliveryRouter } from './delivery/delivery.index';
import { devicesRouter } from './devices/devices.index';
import { experimentsRouter } from './experiments/experiments.index';
import { gamesRouter } from './games/games.index';
import { setAnswerHeader } from './http/answer-headers';
import { authenticate } from './http/auth';
import { cors } from './http/cors';
import { ApiError } from './http/errors';
import { methodGate, notFoundOrMethodNotAllowed } from './http/method-not-allowed';
import { renderError } from './http/problem';
import { withProblemCodes } from './http/problem-codes.doc';
import { createRouter } from './http/router';
import { serverTiming } from './http/server-timing';
import { tokenRequiredWhereDocumented } from './http/token-required';
import { invoicesRouter } from './invoices/invoices.index';
import { kitchenRouter } from './kitchen/kitchen.index';
import { loyaltyRouter } from './loyalty/loyalty.index';
import { mediaRouter } from './media/media.index';
import { isImageUpload } from './media/upload-body';
import { membersRouter } from './members/members.index';
import { menuRouter } from './menu/menu.index';
import { ordersRouter } from './orders/orders.index';
import { serveGuestAppLinks } from './pages/deep-links';
import { partnerRouter } from './partners/partner.index';
import { paymentsRouter } from './payments/payments.index';
import { cloudprntRouter } from './printers/cloudprnt.index';
import { profilesRouter } from './profiles/profiles.index';
import { recommendRouter } from './recommend/recommend.index';
import { reviewsRouter } from './reviews/reviews.index';
import { ridersRouter } from './riders/riders.index';
import { sessionsRouter } from './sessions/sessions.index';
import { stockRouter } from './stock/stock.index';
import { storesRouter } from './stores/stores.index';

/** Request bodies above this are refused with 413 before anything parses them. */
export const MAX_BODY_BYTES = 256 * 1024;
/** Bulk catalog imports may be larger. */
export const MAX_IMPORT_BYTES = 4 * 1024 * 1024;

export const app = createRouter();

app.get('/healthz', (c) => c.text('ok'));

app.use('*', serverTiming);
app.use('*', async (c, next) => {
  const incoming = c.req.header('X-Request-Id');
  const requestId = incoming && /^[\w.-]{1,64}$/.test(incoming) ? incoming : crypto.randomUUID();
  c.set('requestId', requestId);
  await next();
  setAnswerHeader(c, 'X-Request-Id', requestId);
});
app.use('*', cors);
// A wrong method is 405 with `Allow` before any token, role or body is looked at.
app.use(
  '*',
  methodGate(() => app.routes),
);
app.use('*', async (c, next) => {
  // Image uploads stream their own body against the 2 MB image limit (worker/media/upload-body.ts).
  if (isImageUpload(c.req.path)) return next();
  const limit = c.req.path.endsWith('/menu/import') ? MAX_IMPORT_BYTES : MAX_BODY_BYTES;
  return bodyLimit({
    maxSize: limit,
    onError: () => {
      throw new ApiError(413, 'request.too_large', `The body is larger than ${limit} bytes.`);
    },
  })(c, next);
});
app.use('*', authenticate);
app.use(
  '*',
  tokenRequiredWhereDocumented(() => app.openAPIRegistry),
);

app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
  type: 'http',
  scheme: 'bearer',
  bearerFormat: 'JWT',
  description:
    'ES256 token from /v1/auth/wechat (members), /v1/auth/login (staff and admins) or /v1/auth/dev (local development); ' +
    'on /v1/partner/ routes, a partner key (`tfk_…`) an admin made with /v1/admin/partner-keys; ' +
    'on /v1/rider/ routes, a rider key (`rdk_…`) a manager made with /v1/stores/{storeId}/riders/{riderId}/sign-in-link',
});

app.route('/', authRouter);
app.route('/', guestAuthRouter);
app.route('/', accountsRouter);
app.route('/', storesRouter);
app.route('/', menuRouter);
// Payments, printers and delivery before orders: `/v1/orders/{id}/payments`, `/reprint` and `/delivery`
// must not fall into `{action}`.
app.route('/', paymentsRouter);
app.route('/', deliveryRouter);
app.route('/', cloudprntRouter);
// Before orders too: `/v1/orders/{id}/rider` is not an `{action}`.
app.route('/', ridersRouter);
app.route('/', ordersRouter);
app.route('/', membersRouter);
app.route('/', profilesRouter);
app.route('/', recommendRouter);
app.route('/', loyaltyRouter);
app.route('/', gamesRouter);
app.route('/', experimentsRouter);
app.route('/', campaignsRouter);
app.route('/', groupsRouter);
app.route('/', sessionsRouter);
app.route('/', kitchenRouter);
app.route('/', analyticsRouter);
app.route('/', alertsRouter);
app.route('/', reviewsRouter);
app.route('/', mediaRouter);
app.route('/', invoicesRouter);
app.route('/', stockRouter);
app.route('/', adminRouter);
app.route('/', partnerRouter);
app.route('/', devicesRouter);
app.route('/', channelPushRouter);

// The document is generated once per isolate and base URL; problem codes are written onto it.
const documents = new Map<string, unknown>();
app.get('/openapi.json', (c) => {
  const server = c.env?.PUBLIC_BASE_URL ?? 'http://127.0.0.1:8787';
  let doc = documents.get(server);
  if (!doc) {
    doc = withProblemCodes(
      app.getOpenAPI31Document({
        openapi: '3.1.0',
        info: {
          title: 'Tiffin API',
          version: '1.0.0',
          description:
            'Edge-native backend for restaurant brands. Errors are RFC 9457 problem+json with a stable `code` ' +
            '(each problem response lists the codes it can carry, also as `x-problem-codes`); ' +
            'money is integer cents; times are ISO 8601 with offset.',
        },
        servers: [{ url: server }],
      }),
    );
    documents.set(server, doc);
  }
  return c.json(doc);
});
serveGuestAppLinks(app);
// The reference page is a static asset (web/docs/) with Scalar bundled from npm: no CDN, works offline.
app.get('/docs', (c) => c.env.ASSETS.fetch(new URL('/docs/', c.req.url)));

app.notFound(notFoundOrMethodNotAllowed(() => app.routes));
app.onError(renderError);
