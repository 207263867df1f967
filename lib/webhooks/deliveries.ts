import { randomUUID } from "node:crypto";
import { and, asc, desc, eq, inArray, lt, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "@/db/client";
import {
  users,
  type WebhookAttempt,
  type WebhookDelivery,
  type WebhookEndpoint,
  webhookAttempts,
  webhookDeliveries,
  webhookDeliveryStates,
  webhookEndpoints,
} from "@/db/schema";
import { config, publicUrl } from "@/lib/config";
import { NotFound } from "@/lib/errors";
import { fromStatusSnapshot, type JobStatusSnapshot } from "@/lib/jobs/representation";
import { queueWebhookChain } from "@/lib/queue/graphile-worker";
import { takeRateLimit } from "@/lib/rate-limits";
import type { OutgoingMessage } from "./send";

/**
 * The delivery log, and what people do with it: look, send a message again,
 * send a test event. Every message keeps its webhook-id for good, so a
 * redelivery is the same message, which a receiver that saw it can drop.
 */

/** What the receiver is sent for a delivery: Standard Webhooks' { type, timestamp, data }. */
export function messageOf(delivery: WebhookDelivery, timestamp = new Date()): OutgoingMessage {
  return {
    id: `msg_${delivery.id.replaceAll("-", "")}`,
    timestamp,
    body: JSON.stringify({ type: delivery.event, timestamp: delivery.createdAt.toISOString(), data: dataOf(delivery) }),
  };
}

// The app's own links made absolute: the receiver is somewhere else.
const absolute = (links: Record<string, string>) =>
  Object.fromEntries(Object.entries(links).map(([name, path]) => [name, `${publicUrl(config())}${path}`]));

/** A job event's data is the job's status representation as it was then; a test event's is what it was given. */
function dataOf(delivery: WebhookDelivery): unknown {
  if (!delivery.jobId) return delivery.payload;
  const status = fromStatusSnapshot(delivery.payload as JobStatusSnapshot);
  return { ...status, links: absolute(status.links) };
}

/** A delivery as the API and the pages show it: the message, where it went, and every attempt. */
export const deliveryViewSchema = z
  .object({
    id: z.uuid(),
    webhookId: z.string().meta({ description: "The webhook-id header: the same on every attempt." }),
    endpointId: z.uuid(),
    endpointUrl: z.string(),
    ownerId: z.string(),
    ownerEmail: z
      .string()
      .nullable()
      .meta({ description: "Whose endpoint it is (the admin console lists everyone's)." }),
    jobId: z.uuid().nullable(),
    event: z.string(),
    state: z.enum(webhookDeliveryStates),
    attempts: z.array(
      z.object({
        at: z.iso.datetime({ offset: true }),
        status: z.int().nullable(),
        durationMs: z.int(),
        responseStart: z.string().nullable(),
        error: z.string().nullable(),
      }),
    ),
    nextAttemptAt: z.iso.datetime({ offset: true }).nullable(),
    createdAt: z.iso.datetime({ offset: true }),
    finishedAt: z.iso.datetime({ offset: true }).nullable(),
  })
  .meta({ id: "WebhookDelivery" });
export type DeliveryView = z.infer<typeof deliveryViewSchema>;

const toAttemptView = (attempt: WebhookAttempt) => ({
  at: attempt.at.toISOString(),
  status: attempt.status,
  durationMs: attempt.durationMs,
  responseStart: attempt.responseStart,
  error: attempt.error,
});

/** Whose deliveries: one owner's (optionally one endpoint's or one job's), or everyone's for an admin. */
export interface DeliveryFilter {
  ownerId?: string;
  endpointId?: string;
  jobId?: string;
  state?: WebhookDelivery["state"];
}

/** The latest deliveries matching `filter`, newest first, each with its attempts in order. */
export async function listDeliveries(db: Database, filter: DeliveryFilter, limit = 50): Promise<DeliveryView[]> {
  const conditions: (SQL | undefined)[] = [
    filter.ownerId === undefined ? undefined : eq(webhookDeliveries.ownerId, filter.ownerId),
    filter.endpointId === undefined ? undefined : eq(webhookDeliveries.endpointId, filter.endpointId),
    filter.jobId === undefined ? undefined : eq(webhookDeliveries.jobId, filter.jobId),
    filter.state === undefined ? undefined : eq(webhookDeliveries.state, filter.state),
  ];
  const rows = await db
    .select({ delivery: webhookDeliveries, url: webhookEndpoints.url, ownerEmail: users.email })
    .from(webhookDeliveries)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .leftJoin(users, eq(users.id, webhookDeliveries.ownerId))
    .where(and(...conditions))
    .orderBy(desc(webhookDeliveries.sequence))
    .limit(limit);
  const ids = rows.map((row) => row.delivery.id);
  const attempts =
    ids.length === 0
      ? []
      : await db
          .select()
          .from(webhookAttempts)
          .where(inArray(webhookAttempts.deliveryId, ids))
          .orderBy(asc(webhookAttempts.id));
  return rows.map(({ delivery, url, ownerEmail }) => ({
    id: delivery.id,
    webhookId: messageOf(delivery).id,
    endpointId: delivery.endpointId,
    endpointUrl: url,
    ownerId: delivery.ownerId,
    ownerEmail,
    jobId: delivery.jobId,
    event: delivery.event,
    state: delivery.state,
    attempts: attempts.filter((attempt) => attempt.deliveryId === delivery.id).map(toAttemptView),
    nextAttemptAt: delivery.state === "pending" ? delivery.nextAttemptAt.toISOString() : null,
    createdAt: delivery.createdAt.toISOString(),
    finishedAt: delivery.finishedAt?.toISOString() ?? null,
  }));
}

/**
 * The sends a user asks for by hand (test events, redeliveries), together:
 * each is a request to a URL of the user's choosing, so without a rate one
 * user could aim the workers at any host as fast as they can click.
 */
const manualSendLimit = () => ({
  name: "webhook-manual-send",
  max: config().WEBHOOK_MANUAL_SENDS_PER_MINUTE,
  windowSeconds: 60,
});

/**
 * Sends a message again, as it was (the same webhook-id and body), after
 * whatever its chain has waiting before it. Its attempts count on.
 */
export async function redeliver(db: Database, ownerId: string, endpointId: string, deliveryId: string): Promise<void> {
  await takeRateLimit(db, manualSendLimit(), ownerId);
  const [delivery] = await db
    .update(webhookDeliveries)
    .set({ state: "pending", nextAttemptAt: sql`now()`, finishedAt: null })
    .where(
      and(
        eq(webhookDeliveries.id, deliveryId),
        eq(webhookDeliveries.endpointId, endpointId),
        eq(webhookDeliveries.ownerId, ownerId),
      ),
    )
    .returning();
  if (!delivery) throw new NotFound(`There is no webhook delivery ${deliveryId}.`);
  await queueWebhookChain(db, delivery.endpointId, delivery.chain, new Date());
}

/** Queues a webhook.test message to the endpoint, a chain of its own, whether or not it is enabled. */
export async function sendTestEvent(db: Database, endpoint: WebhookEndpoint): Promise<string> {
  await takeRateLimit(db, manualSendLimit(), endpoint.ownerId);
  const id = randomUUID();
  await db.insert(webhookDeliveries).values({
    id,
    endpointId: endpoint.id,
    ownerId: endpoint.ownerId,
    jobId: null,
    chain: id,
    event: "webhook.test",
    payload: { message: "A test event from Accepted: your endpoint receives and verifies webhooks." },
  });
  await queueWebhookChain(db, endpoint.id, id, new Date());
  return id;
}

/** Forgets finished deliveries (and their attempts) older than `days`: the log is for recent trouble. */
export async function forgetOldDeliveries(db: Database, days: number): Promise<number> {
  const forgotten = await db
    .delete(webhookDeliveries)
    .where(
      and(
        inArray(webhookDeliveries.state, ["delivered", "failed"]),
        lt(webhookDeliveries.createdAt, sql`now() - make_interval(days => ${days}::int)`),
      ),
    )
    .returning({ id: webhookDeliveries.id });
  return forgotten.length;
}
