import type { WebhookEventType } from '@lapor-hub/lib/database';

export { WEBHOOK_EVENTS, type WebhookEventType } from '@lapor-hub/lib/database';

/** The message's `type`: `COMPLAINT_FOLLOWED_UP` is `complaint.followed_up`. */
export function messageType(event: WebhookEventType): string {
  return event.toLowerCase().replace('_', '.');
}
