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
  /** Id of the current DATA_KEY, written into every sealed value (default `k1`). */
  DATA_KEY_ID?: string;
  /** Secret. JSON object of retired key id → base64 key: old sealed values still open. */
  DATA_KEYS_PREVIOUS?: string;
  /** Which key (id) lookup hashes derive from; required once DATA_KEYS_PREVIOUS is set (see worker/lib/lookup-keys.ts). */
  DATA_LOOKUP_KEY_ID?: string;
  /** Aliyun SMS (dysmsapi SendSms) for phone verification codes; unset outside DEV_AUTH, codes are refused 503. */
  ALIYUN_SMS_ACCESS_KEY_ID?: string;
  /** Secret. */
  ALIYUN_SMS_ACCESS_KEY_SECRET?: string;
  /** The approved signature name (签名) and the verification template code (`SMS_…`, one `${code}` parameter). */
  ALIYUN_SMS_SIGN_NAME?: string;
  ALIYUN_SMS_TEMPLATE_CODE?: string;
  /** JSON array of retired public JWKs still accepted for verification. */
  JWT_PREVIOUS_PUBLIC_JWKS?: string;
  /** JSON object: our push template names → WeChat subscribe-message template ids. Unmapped names go to the console sink under DEV_AUTH; otherwise they are recorded skipped. */
  WECHAT_SUBSCRIBE_TEMPLATES?: string;
  /** "1" enables POST /v1/auth/dev; set only by `npm start` and tests. */
  DEV_AUTH?: string;
  WECHAT_APPID?: string;
  /** Secret. */
  WECHAT_SECRET?: string;
  /** WeChat Official Account (公众号) for web authorization in the H5 app inside WeChat; unset: 503 `auth.wechat_web_unconfigured`. */
  WECHAT_OA_APPID?: string;
  /** Secret. */
  WECHAT_OA_SECRET?: string;
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
  /** 诺诺开放平台 (e-invoices): app key, app secret (secret), access token (secret), the seller's taxpayer number. Unset: invoice requests answer 503 `invoice.not_configured`. */
  NUONUO_APP_KEY?: string;
  NUONUO_APP_SECRET?: string;
  NUONUO_ACCESS_TOKEN?: string;
  NUONUO_TAX_NUM?: string;
  /** Default https://sdk.nuonuo.com/open/v1/services; the sandbox is https://sandbox.nuonuocs.cn/open/v1/services. */
  NUONUO_BASE_URL?: string;
  /** 开票人 printed on invoices (default 系统). */
  NUONUO_CLERK?: string;
  /** Delivery platforms' API bases (default https://waimaiopen.meituan.com/api/v1 and https://open-api.shop.ele.me). */
  MEITUAN_BASE_URL?: string;
  ELEME_BASE_URL?: string;
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
