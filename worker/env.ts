import type { StoreDO } from '../durable-objects/store/store.do';

/** Bindings and vars, as declared in wrangler.toml (secrets listed in .dev.vars.example). */
export interface Env {
  DB: D1Database;
  MENU_KV: KVNamespace;
  STORE: DurableObjectNamespace<StoreDO>;
  DEFAULT_BRAND_ID: string;
  PUBLIC_BASE_URL: string;
  H5_BASE_URL: string;
  JWT_ISSUER: string;
  /** Secret: the current ES256 signing key as a private JWK with `kid`. */
  JWT_PRIVATE_JWK: string;
  /** Optional secret: JSON array of retired public JWKs still accepted for verification. */
  JWT_PREVIOUS_PUBLIC_JWKS?: string;
  /** Secret: 32 random bytes, base64; seals personal data (addresses, phones) at rest. */
  DATA_KEY: string;
  EVENTS_QUEUE: Queue;
  /** Member pushes (WeChat subscribe messages); consumer in queues/notify.consumer.ts. */
  NOTIFY_QUEUE: Queue;
  /** Campaign coupon issuance; consumer in queues/coupons.consumer.ts, DLQ recorded in D1. */
  COUPONS_QUEUE: Queue;
  /** JSON object: our push template names → WeChat subscribe-message template ids. Unmapped names go to the console sink. */
  WECHAT_SUBSCRIBE_TEMPLATES?: string;
  /** "1" enables POST /v1/auth/dev; set only by `npm start` and tests. */
  DEV_AUTH?: string;
  WECHAT_APPID?: string;
  /** Secret. */
  WECHAT_SECRET?: string;
  /** WeChat Pay v3 merchant id, certificate serial, PKCS#8 private key (secret), APIv3 key (secret). */
  WECHATPAY_MCHID?: string;
  WECHATPAY_SERIAL_NO?: string;
  WECHATPAY_PRIVATE_KEY?: string;
  WECHATPAY_APIV3_KEY?: string;
  /** WeChat Pay platform public key (PEM) and its id (PUB_KEY_ID_…), for callback verification. */
  WECHATPAY_PUBLIC_KEY?: string;
  WECHATPAY_PUBLIC_KEY_ID?: string;
  ALIPAY_APP_ID?: string;
  /** Secret: our app's private key. */
  ALIPAY_PRIVATE_KEY?: string;
  ALIPAY_PUBLIC_KEY?: string;
  ALIPAY_SELLER_ID?: string;
  /** "1" enables the sandbox payment provider (local development and demos only). */
  SANDBOX_PAYMENTS?: string;
  /** Secret: HMAC key the sandbox signs its callbacks with. */
  SANDBOX_PAYMENTS_KEY?: string;
}

type TiffinEnv = Env;

declare global {
  namespace Cloudflare {
    // Types `env` from cloudflare:workers and cloudflare:test.
    interface Env extends TiffinEnv {}
    interface GlobalProps {
      mainModule: typeof import('./index');
      durableNamespaces: 'StoreDO';
    }
  }
}
