import { Webhook } from 'standardwebhooks';
import { overrideWebhookSender } from '../../worker/webhooks/sender';

export interface Received {
  id: string;
  timestamp: number;
  type: string;
  storeSeq?: number;
  body: { type: string; timestamp: string; data: Record<string, unknown> };
}

/**
 * A partner's receiver, installed as the webhook sender: it verifies every delivery with the
 * Standard Webhooks reference library (a bad signature is a 401), answers the first
 * `failFirst` attempts with 500 (or `status` for all), and processes each `webhook-id` once.
 */
export function webhookReceiver(secrets: string[], opts: { failFirst?: number; status?: number } = {}) {
  const attempts: Received[] = [];
  const processed = new Map<string, Received>();
  let refused = 0;
  overrideWebhookSender(async (req) => {
    const text = await req.text();
    const headers = Object.fromEntries(req.headers);
    if (!secrets.some((s) => verifies(s, text, headers))) {
      refused++;
      return new Response('bad signature', { status: 401 });
    }
    const body = JSON.parse(text) as Received['body'];
    const got: Received = {
      id: headers['webhook-id']!,
      timestamp: Number(headers['webhook-timestamp']),
      type: body.type,
      storeSeq: body.data.storeSeq as number | undefined,
      body,
    };
    attempts.push(got);
    if (opts.status) return new Response('no', { status: opts.status });
    if (attempts.length <= (opts.failFirst ?? 0)) return new Response('busy', { status: 500 });
    if (!processed.has(got.id)) processed.set(got.id, got);
    return new Response(null, { status: 204 });
  });
  return {
    attempts,
    processed,
    refused: () => refused,
    stop: () => overrideWebhookSender(undefined),
  };
}

function verifies(secret: string, body: string, headers: Record<string, string>) {
  try {
    new Webhook(secret).verify(body, headers);
    return true;
  } catch {
    return false;
  }
}
