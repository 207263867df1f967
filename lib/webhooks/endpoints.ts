import { randomBytes, randomUUID } from "node:crypto";
import { and, desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Database, Executor } from "@/db/client";
import { type WebhookEndpoint, webhookDeliveries, webhookEndpoints, webhookEvents } from "@/db/schema";
import { config } from "@/lib/config";
import { InvalidInput, NotFound, WebhookUrlRefused } from "@/lib/errors";
import { findJobType } from "@/lib/jobs/registry";
import { lockOwner } from "@/lib/owner-lock";
import { queueWebhookChain } from "@/lib/queue/graphile-worker";
import { takeRateLimit } from "@/lib/rate-limits";
import { checkDestination, destinationPolicy } from "./destination";
import { type AttemptOutcome, sendMessage } from "./send";

/**
 * A user's webhook endpoints: saved only once their URL passes the
 * destination policy and does not answer a ping with a redirect. The
 * signing secret is returned by the calls that make one (create, rotate)
 * and never again.
 */

/** The most endpoints one user may have: each is a request per event. */
export const MAX_ENDPOINTS_PER_USER = 20;

const jobTypesField = z
  .array(z.string().min(1).max(100))
  .min(1)
  .max(50)
  .nullable()
  .meta({ description: "Only jobs of these types; null (the default) for every type." });

export const endpointFields = {
  url: z.string().min(1).max(2_000).meta({ description: "https:// (http:// only to hosts the operator allows)." }),
  description: z.string().max(200),
  events: z.array(z.enum(webhookEvents)).min(1).max(webhookEvents.length),
  jobTypes: jobTypesField,
  enabled: z.boolean(),
};

export const createEndpointRequest = z
  .strictObject({
    ...endpointFields,
    description: endpointFields.description.default(""),
    events: endpointFields.events.default(["job.succeeded", "job.failed", "job.cancelled"]),
    jobTypes: jobTypesField.default(null),
    enabled: endpointFields.enabled.default(true),
  })
  .meta({ id: "WebhookEndpointCreate" });
export type CreateEndpointRequest = z.output<typeof createEndpointRequest>;

export const updateEndpointRequest = z.strictObject(endpointFields).partial().meta({ id: "WebhookEndpointUpdate" });
export type UpdateEndpointRequest = z.output<typeof updateEndpointRequest>;

/** Unknown job types are refused: a filter naming one would silently match nothing. */
function checkJobTypes(jobTypes: string[] | null | undefined) {
  const unknown = (jobTypes ?? []).flatMap((type, index) => (findJobType(type) ? [] : [{ type, index }]));
  if (unknown.length > 0) {
    throw new InvalidInput(
      "Unknown job types.",
      unknown.map(({ type, index }) => ({ path: ["jobTypes", index], message: `There is no job type "${type}".` })),
    );
  }
}

/** A new signing secret in the Standard Webhooks form: whsec_ and 24 random bytes in base64. */
const newSecret = () => `whsec_${randomBytes(24).toString("base64")}`;

/**
 * The URL as it may be saved: the destination policy, then (within the
 * owner's rate of pings, WEBHOOK_PINGS_PER_MINUTE) a signed ping
 * (event webhook.ping) whose answer must not be a redirect, since none is
 * ever followed (and one to a private address is how a public URL would
 * reach inside). Any other answer, or none, is reported, not refused: the
 * receiver may not be running yet.
 */
async function checkedUrl(
  db: Database,
  ownerId: string,
  raw: string,
  secret: string,
): Promise<{ url: URL; ping: AttemptOutcome }> {
  const policy = destinationPolicy();
  const url = await checkDestination(raw, policy);
  // Each ping is a request to a URL of the user's choosing, its answer shown back: rated, or it is a port probe.
  await takeRateLimit(db, { name: "webhook-ping", max: config().WEBHOOK_PINGS_PER_MINUTE, windowSeconds: 60 }, ownerId);
  const timestamp = new Date();
  const body = JSON.stringify({ type: "webhook.ping", timestamp: timestamp.toISOString(), data: { url: url.href } });
  const ping = await sendMessage(url, { id: `msg_${randomUUID()}`, timestamp, body }, secret, policy);
  if (ping.status !== null && ping.status >= 300 && ping.status < 400) {
    throw new WebhookUrlRefused(
      raw,
      `its ping was answered with ${ping.status}, ${ping.error}; Accepted never follows redirects, so register the URL itself`,
    );
  }
  return { url, ping };
}

const ownEndpoint = (ownerId: string, id: string) =>
  and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.ownerId, ownerId));

export async function listEndpoints(db: Database, ownerId: string): Promise<WebhookEndpoint[]> {
  return db
    .select()
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.ownerId, ownerId))
    .orderBy(desc(webhookEndpoints.createdAt));
}

/** The owner's endpoint; anyone else's is NotFound, as a missing one is. */
export async function requireEndpoint(db: Database, ownerId: string, id: string): Promise<WebhookEndpoint> {
  const [endpoint] = await db.select().from(webhookEndpoints).where(ownEndpoint(ownerId, id));
  if (!endpoint) throw new NotFound(`There is no webhook endpoint ${id}.`);
  return endpoint;
}

export interface CreatedEndpoint {
  endpoint: WebhookEndpoint;
  /** Shown once. */
  secret: string;
  /** How the receiver answered the ping. */
  ping: AttemptOutcome;
}

export async function createEndpoint(
  db: Database,
  ownerId: string,
  request: CreateEndpointRequest,
): Promise<CreatedEndpoint> {
  checkJobTypes(request.jobTypes);
  // Counted before the ping too, so that a user at the cap sends nobody a request.
  await checkEndpointCap(db, ownerId);
  const secret = newSecret();
  const { url, ping } = await checkedUrl(db, ownerId, request.url, secret);
  // Counted again under the owner's lock, with the insert: concurrent creations (on any web process)
  // each wait for the one before to commit, so the cap holds however many arrive at once.
  const endpoint = await db.transaction(async (tx) => {
    await lockOwner(tx, "webhook-endpoints", ownerId);
    await checkEndpointCap(tx, ownerId);
    const [inserted] = await tx
      .insert(webhookEndpoints)
      .values({ ...request, url: url.href, ownerId, secret })
      .returning();
    return inserted;
  });
  if (!endpoint) throw new Error("insert returned nothing");
  return { endpoint, secret, ping };
}

async function checkEndpointCap(db: Executor, ownerId: string): Promise<void> {
  const [{ count } = { count: 0 }] = await db
    .select({ count: sql<number>`count(*)::int` })
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.ownerId, ownerId));
  if (count >= MAX_ENDPOINTS_PER_USER) {
    throw new InvalidInput(`You have ${count} webhook endpoints, the most one user may have.`, [
      { path: [], message: `At most ${MAX_ENDPOINTS_PER_USER} endpoints; delete one first.` },
    ]);
  }
}

/**
 * Changes what was given. A new URL is checked (and pinged) as at creation;
 * enabling an endpoint clears its failure record and resumes what was
 * waiting for it.
 */
export async function updateEndpoint(
  db: Database,
  ownerId: string,
  id: string,
  request: UpdateEndpointRequest,
): Promise<{ endpoint: WebhookEndpoint; ping: AttemptOutcome | null }> {
  const current = await requireEndpoint(db, ownerId, id);
  checkJobTypes(request.jobTypes);
  const checked = request.url === undefined ? null : await checkedUrl(db, ownerId, request.url, current.secret);
  const enabling = request.enabled === true && !current.enabled;
  const [endpoint] = await db
    .update(webhookEndpoints)
    .set({
      ...request,
      ...(checked ? { url: checked.url.href } : {}),
      ...(enabling ? { failingSince: null, disabledReason: null } : {}),
      updatedAt: sql`now()`,
    })
    .where(ownEndpoint(ownerId, id))
    .returning();
  if (!endpoint) throw new NotFound(`There is no webhook endpoint ${id}.`);
  if (enabling) await resumeChains(db, endpoint.id);
  return { endpoint, ping: checked?.ping ?? null };
}

/** Queues every chain of this endpoint that has messages waiting (after it was disabled). */
async function resumeChains(db: Database, endpointId: string): Promise<void> {
  const waiting = await db
    .selectDistinct({ chain: webhookDeliveries.chain })
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.endpointId, endpointId), eq(webhookDeliveries.state, "pending")));
  for (const { chain } of waiting) await queueWebhookChain(db, endpointId, chain, new Date());
}

/** A new secret, in force for every delivery from now on; returned once. */
export async function rotateSecret(db: Database, ownerId: string, id: string): Promise<CreatedEndpoint["secret"]> {
  const secret = newSecret();
  const [endpoint] = await db
    .update(webhookEndpoints)
    .set({ secret, updatedAt: sql`now()` })
    .where(ownEndpoint(ownerId, id))
    .returning({ id: webhookEndpoints.id });
  if (!endpoint) throw new NotFound(`There is no webhook endpoint ${id}.`);
  return secret;
}

/** Deletes the endpoint and its delivery log; its queued chains find nothing to send. */
export async function deleteEndpoint(db: Database, ownerId: string, id: string): Promise<void> {
  const deleted = await db
    .delete(webhookEndpoints)
    .where(ownEndpoint(ownerId, id))
    .returning({ id: webhookEndpoints.id });
  if (deleted.length === 0) throw new NotFound(`There is no webhook endpoint ${id}.`);
}

/** The endpoint as the API shows it: everything but the secret. */
export function toEndpointView(endpoint: WebhookEndpoint) {
  return {
    id: endpoint.id,
    url: endpoint.url,
    description: endpoint.description,
    events: endpoint.events,
    jobTypes: endpoint.jobTypes,
    enabled: endpoint.enabled,
    failingSince: endpoint.failingSince?.toISOString() ?? null,
    disabledReason: endpoint.disabledReason,
    createdAt: endpoint.createdAt.toISOString(),
    updatedAt: endpoint.updatedAt.toISOString(),
    links: { self: `/api/webhooks/${endpoint.id}`, deliveries: `/api/webhooks/${endpoint.id}/deliveries` },
  };
}
