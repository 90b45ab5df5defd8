/** The events the hub tells agency systems about (the SDL's `WebhookEvent`). */
export const WEBHOOK_EVENTS = [
  'COMPLAINT_SUBMITTED',
  'COMPLAINT_ASSIGNED',
  'COMPLAINT_FOLLOWED_UP',
  'COMPLAINT_REPLIED',
  'COMPLAINT_CLOSED',
  'COMPLAINT_OVERDUE',
  'ESCALATION_RECEIVED',
  'ESCALATION_ANSWERED',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

/** The message's `type`: `COMPLAINT_FOLLOWED_UP` is `complaint.followed_up`. */
export function messageType(event: WebhookEventType): string {
  return event.toLowerCase().replace('_', '.');
}
