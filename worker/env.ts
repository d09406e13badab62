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
  /** "1" enables POST /v1/auth/dev; set only by `npm start` and tests. */
  DEV_AUTH?: string;
  WECHAT_APPID?: string;
  /** Secret. */
  WECHAT_SECRET?: string;
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
