/** What a webhook endpoint can ask to hear about, and a delivery's states: shared with the browser (this file imports nothing). */
export const webhookEvents = ["job.succeeded", "job.failed", "job.cancelled", "job.progress"] as const;
export type WebhookEvent = (typeof webhookEvents)[number];

export const webhookDeliveryStates = ["pending", "delivered", "failed"] as const;
export type WebhookDeliveryState = (typeof webhookDeliveryStates)[number];
