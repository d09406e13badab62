import type { Env } from '../../env';
import { ApiError } from '../../http/errors';
import { alipayProvider } from './alipay.provider';
import type { PaymentProvider } from './provider';
import { sandboxProvider } from './sandbox.provider';
import { wechatPayProvider } from './wechat.provider';

export type ExternalMethod = 'wechat' | 'alipay' | 'sandbox';

/** Test seam: tests install providers wired to fake servers. */
const overrides = new Map<ExternalMethod, PaymentProvider>();
export function overrideProvider(method: ExternalMethod, provider: PaymentProvider | undefined) {
  if (provider) overrides.set(method, provider);
  else overrides.delete(method);
}

const unavailable = (method: string) =>
  new ApiError(422, 'payment.method_unavailable', `Payment by ${method} is not configured for this deployment.`, {
    errors: [{ path: 'method', message: 'not configured' }],
  });

/** The methods a client may offer: those whose provider `providerFor` would build, and the balance. */
export function configuredMethods(env: Env): (ExternalMethod | 'balance')[] {
  const methods: ExternalMethod[] = ['wechat', 'alipay', 'sandbox'];
  const ready = methods.filter((m) => {
    try {
      providerFor(env, m);
      return true;
    } catch {
      return false;
    }
  });
  return [...ready, 'balance'];
}

/** The provider for a payment method, built from Worker secrets; 422 when not configured. */
export function providerFor(env: Env, method: ExternalMethod): PaymentProvider {
  const o = overrides.get(method);
  if (o) return o;
  if (method === 'sandbox') {
    if (env.SANDBOX_PAYMENTS !== '1' || !env.SANDBOX_PAYMENTS_KEY) throw unavailable(method);
    return sandboxProvider(env.SANDBOX_PAYMENTS_KEY, env.PUBLIC_BASE_URL);
  }
  if (method === 'wechat') {
    const { WECHAT_APPID, WECHATPAY_MCHID, WECHATPAY_SERIAL_NO, WECHATPAY_PRIVATE_KEY, WECHATPAY_APIV3_KEY } = env;
    const { WECHATPAY_PUBLIC_KEY, WECHATPAY_PUBLIC_KEY_ID } = env;
    if (
      !WECHAT_APPID ||
      !WECHATPAY_MCHID ||
      !WECHATPAY_SERIAL_NO ||
      !WECHATPAY_PRIVATE_KEY ||
      !WECHATPAY_APIV3_KEY ||
      !WECHATPAY_PUBLIC_KEY ||
      !WECHATPAY_PUBLIC_KEY_ID
    ) {
      throw unavailable(method);
    }
    return wechatPayProvider({
      appId: WECHAT_APPID,
      mchId: WECHATPAY_MCHID,
      merchantSerialNo: WECHATPAY_SERIAL_NO,
      merchantPrivateKeyPem: WECHATPAY_PRIVATE_KEY,
      apiV3Key: WECHATPAY_APIV3_KEY,
      platformPublicKeyPem: WECHATPAY_PUBLIC_KEY,
      platformPublicKeyId: WECHATPAY_PUBLIC_KEY_ID,
    });
  }
  const { ALIPAY_APP_ID, ALIPAY_PRIVATE_KEY, ALIPAY_PUBLIC_KEY } = env;
  if (!ALIPAY_APP_ID || !ALIPAY_PRIVATE_KEY || !ALIPAY_PUBLIC_KEY) throw unavailable(method);
  return alipayProvider({
    appId: ALIPAY_APP_ID,
    appPrivateKeyPem: ALIPAY_PRIVATE_KEY,
    alipayPublicKeyPem: ALIPAY_PUBLIC_KEY,
    sellerId: env.ALIPAY_SELLER_ID,
  });
}
