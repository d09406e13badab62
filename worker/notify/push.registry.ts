import { log } from '../../domain/log';
import type { Env } from '../env';
import { consolePushAdapter, type PushAdapter, wechatSubscribeAdapter } from './push.adapter';

/** How one of our push templates maps onto the brand's WeChat subscribe-message template. */
export interface TemplateMapping {
  templateId: string;
  /** Our field name → the template's key (`thing1`, `amount2`…). */
  fields: Record<string, string>;
}

let override: PushAdapter | undefined;
let wechat: { key: string; adapter: PushAdapter } | undefined;
const consoleSink = consolePushAdapter();

/** Tests swap in a recording adapter; `undefined` restores the configured one. */
export function overridePushAdapter(adapter: PushAdapter | undefined) {
  override = adapter;
}

/**
 * The adapter for a template: WeChat when the app is configured and the template is
 * mapped. Otherwise the console sink under DEV_AUTH=1 (local development), and `null`
 * anywhere else: the push is recorded as not configured, never as sent to nobody.
 */
export function pushAdapterFor(
  env: Env,
  template: string,
): { adapter: PushAdapter | null; mapping: TemplateMapping | null } {
  const mappings = parseMappings(env.WECHAT_SUBSCRIBE_TEMPLATES);
  const mapping = mappings[template] ?? null;
  if (override) return { adapter: override, mapping };
  if (!mapping || !env.WECHAT_APPID || !env.WECHAT_SECRET) {
    return { adapter: env.DEV_AUTH === '1' ? consoleSink : null, mapping };
  }
  const key = `${env.WECHAT_APPID}:${env.WECHAT_SECRET}`;
  if (wechat?.key !== key) {
    wechat = { key, adapter: wechatSubscribeAdapter({ appId: env.WECHAT_APPID, secret: env.WECHAT_SECRET }) };
  }
  return { adapter: wechat.adapter, mapping };
}

function parseMappings(raw: string | undefined): Record<string, TemplateMapping> {
  if (!raw) return {};
  try {
    return JSON.parse(raw) as Record<string, TemplateMapping>;
  } catch {
    log.error('WECHAT_SUBSCRIBE_TEMPLATES is not JSON');
    return {};
  }
}
