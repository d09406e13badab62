/*
 * What an order keeps after its member is erased (PIPL/GDPR): amounts and lines, no
 * address, phone, note or invoice. Pure; used for D1 history and the store's own copy.
 */

/** An order body (JSON text) without the member's personal details. */
export function anonymizedOrderBody(text: string): string {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return '{}';
  }
  if (body.delivery && typeof body.delivery === 'object') {
    body.delivery = {
      ...(body.delivery as Record<string, unknown>),
      sealedAddress: '',
      sealedPhone: '',
      careNote: null,
    };
  }
  if ('note' in body) body.note = null;
  if ('invoice' in body) body.invoice = null;
  return JSON.stringify(body);
}

/**
 * A queued store event (JSON text, as a dead letter keeps it) whose order loses the
 * member's personal details; the rest of the message stays, so it can still be re-driven.
 */
export function anonymizedEventBody(text: string): string {
  let message: Record<string, unknown>;
  try {
    message = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return '{}';
  }
  if (!message.order || typeof message.order !== 'object') return text;
  message.order = JSON.parse(anonymizedOrderBody(JSON.stringify(message.order)));
  return JSON.stringify(message);
}
