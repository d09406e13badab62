import type { Env } from '../../env';
import { ApiError } from '../../http/errors';
import type { InvoiceIssuer } from './issuer';
import { NUONUO_PRODUCTION_URL, nuonuoIssuer } from './nuonuo.issuer';

/** Test seam: tests install an issuer wired to a fake platform. */
let override: InvoiceIssuer | undefined;
export function overrideIssuer(issuer: InvoiceIssuer | undefined) {
  override = issuer;
}

/** The 503 a guest gets when this deployment has no invoicing platform. */
export const invoicingUnconfigured = () =>
  new ApiError(
    503,
    'invoice.not_configured',
    'E-invoices are not available here: no invoicing platform is configured (NUONUO_APP_KEY, NUONUO_APP_SECRET, ' +
      'NUONUO_ACCESS_TOKEN, NUONUO_TAX_NUM).',
  );

/** The invoicing platform built from the Worker's secrets, or null when they are not all set. */
export function configuredIssuer(env: Env): InvoiceIssuer | null {
  if (override) return override;
  const { NUONUO_APP_KEY, NUONUO_APP_SECRET, NUONUO_ACCESS_TOKEN, NUONUO_TAX_NUM } = env;
  if (!NUONUO_APP_KEY || !NUONUO_APP_SECRET || !NUONUO_ACCESS_TOKEN || !NUONUO_TAX_NUM) return null;
  return nuonuoIssuer({
    appKey: NUONUO_APP_KEY,
    appSecret: NUONUO_APP_SECRET,
    accessToken: NUONUO_ACCESS_TOKEN,
    sellerTaxNumber: NUONUO_TAX_NUM,
    baseUrl: env.NUONUO_BASE_URL || NUONUO_PRODUCTION_URL,
    clerk: env.NUONUO_CLERK || '系统',
  });
}

/** The invoicing platform; 503 `invoice.not_configured` when there is none. */
export function issuerFor(env: Env): InvoiceIssuer {
  const issuer = configuredIssuer(env);
  if (!issuer) throw invoicingUnconfigured();
  return issuer;
}
