import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { messageType, type WebhookEventType } from './events';

/** A new Standard Webhooks signing secret: `whsec_` and 32 random bytes in base64. */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** What one attempt sends. */
export interface SignedMessage {
  body: string;
  headers: Record<string, string>;
}

/**
 * One message as the Standard Webhooks specification has it: `webhook-id` (the delivery's id, the
 * same on every attempt), `webhook-timestamp` (this attempt's, which receivers check for
 * freshness), and `webhook-signature` with a v1 signature per live secret (two while a rotated
 * secret still signs).
 */
export function signMessage(
  delivery: { id: string; event: WebhookEventType; occurredAt: Date; payload: Record<string, unknown> },
  secrets: readonly string[],
  now: Date,
): SignedMessage {
  const body = JSON.stringify({ type: messageType(delivery.event), timestamp: delivery.occurredAt.toISOString(), data: delivery.payload });
  const signature = secrets.map((secret) => new Webhook(secret).sign(delivery.id, now, body)).join(' ');
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'webhook-id': delivery.id,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': signature,
    },
  };
}
