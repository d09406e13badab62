/*
 * What `wrangler types` cannot write into worker-configuration.d.ts: the body each queue
 * carries, and the optional secrets and vars (it types every secret as a required string).
 * The required secrets come from `.dev.vars.example`. Both interfaces below are merged into
 * the generated ones, so `Env` (durable-objects/, queues/) and `Cloudflare.Env` (the `env`
 * of cloudflare:workers and cloudflare:test; `worker/env.ts`) are the same type.
 */
import type { IssueMessage, JobMessage, NotifyMessage, StoreEventMessage } from './queues/messages';

/** Secrets and vars that may be absent (see .dev.vars.example and README "Configuration"). */
interface OptionalConfig {
  /** JSON array of retired public JWKs still accepted for verification. */
  JWT_PREVIOUS_PUBLIC_JWKS?: string;
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

declare global {
  // A queue's own member narrows the generated bare `Queue` (TypeScript requires it declared
  // on each interface, not inherited from a shared one).
  interface Env extends OptionalConfig {
    /** Store events from each StoreDO's outbox; consumer in queues/events.consumer.ts. */
    EVENTS_QUEUE: Queue<StoreEventMessage>;
    /** Member pushes (WeChat subscribe messages); consumer in queues/notify.consumer.ts. */
    NOTIFY_QUEUE: Queue<NotifyMessage>;
    /** Campaign coupon issuance; consumer in queues/coupons.consumer.ts, DLQ recorded in D1. */
    COUPONS_QUEUE: Queue<IssueMessage>;
    /** Jobs the crons found due; consumer in queues/jobs.consumer.ts. */
    JOBS_QUEUE: Queue<JobMessage>;
  }
  namespace Cloudflare {
    interface Env extends OptionalConfig {
      EVENTS_QUEUE: Queue<StoreEventMessage>;
      NOTIFY_QUEUE: Queue<NotifyMessage>;
      COUPONS_QUEUE: Queue<IssueMessage>;
      JOBS_QUEUE: Queue<JobMessage>;
    }
  }
}
