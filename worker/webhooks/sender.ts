/**
 * How a delivery reaches an endpoint: `fetch`, with redirects not followed (a receiver must
 * answer where it was registered) and a 15-second limit. Tests install a sender wired to
 * a receiver that verifies signatures as a partner's would.
 */
export type WebhookSender = (request: Request) => Promise<Response>;

export const SEND_TIMEOUT_MS = 15_000;

let override: WebhookSender | undefined;
export function overrideWebhookSender(sender: WebhookSender | undefined) {
  override = sender;
}

export function webhookSender(): WebhookSender {
  return (
    override ?? ((request) => fetch(request, { redirect: 'manual', signal: AbortSignal.timeout(SEND_TIMEOUT_MS) }))
  );
}
