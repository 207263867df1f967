import { and, asc, eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import {
  jobs,
  type WebhookDelivery,
  type WebhookEndpoint,
  webhookAttempts,
  webhookDeliveries,
  webhookEndpoints,
} from "@/db/schema";
import { queueWebhookChain } from "@/lib/queue/graphile-worker";
import { contextOf, inSpan, SpanKind, traceHeaders, tracingConfigured } from "@/lib/tracing";
import { messageOf } from "./deliveries";
import type { DestinationPolicy } from "./destination";
import { type AttemptOutcome, sendMessage } from "./send";

/**
 * Delivering a chain: an endpoint's messages about one job (or one test
 * message), oldest first, the next only once the one before it is done
 * with, so a receiver never hears "succeeded" before "progress 50". A
 * failed attempt is retried on RETRY_DELAYS_S; a message out of retries
 * fails and the chain moves on.
 */

/** Seconds after each failed attempt before the next: growing, about a day in all (11 attempts). */
export const RETRY_DELAYS_S = [2, 10, 60, 300, 1_800, 3_600, 7_200, 14_400, 28_800, 28_800] as const;

/** After failing for this long without a success, an endpoint is disabled and its owner told. */
export const DISABLE_AFTER_FAILING_DAYS = 3;

/** A delivery's state after its attempt number `attempts` came to `outcome`. */
export function afterAttempt(
  attempts: number,
  outcome: AttemptOutcome,
): { state: WebhookDelivery["state"]; retryInS: number | null } {
  if (outcome.ok) return { state: "delivered", retryInS: null };
  const delay = RETRY_DELAYS_S[attempts - 1];
  return delay === undefined ? { state: "failed", retryInS: null } : { state: "pending", retryInS: delay };
}

export interface Disabled {
  endpoint: WebhookEndpoint;
  lastError: string;
}

/**
 * Records one attempt in one transaction: the attempt, the delivery's new
 * state, and the endpoint's failure record (a success clears it; three days
 * of failures disable the endpoint, returned so its owner can be told).
 */
async function recordAttempt(
  db: Database,
  delivery: WebhookDelivery,
  endpointWasEnabled: boolean,
  outcome: AttemptOutcome,
): Promise<{ delivery: WebhookDelivery; disabled: Disabled | null }> {
  const attempts = delivery.attempts + 1;
  const next = afterAttempt(attempts, outcome);
  return db.transaction(async (tx) => {
    // The endpoint first, as deleting it does (then its deliveries, by cascade): locked in the other order, a
    // delete arriving while an attempt is recorded deadlocked with it, and one of the two failed.
    await tx
      .select({ id: webhookEndpoints.id })
      .from(webhookEndpoints)
      .where(eq(webhookEndpoints.id, delivery.endpointId))
      .for("no key update");
    await tx.insert(webhookAttempts).values({
      deliveryId: delivery.id,
      status: outcome.status,
      durationMs: outcome.durationMs,
      responseStart: outcome.responseStart,
      error: outcome.error,
    });
    const [updated] = await tx
      .update(webhookDeliveries)
      .set({
        attempts,
        state: next.state,
        nextAttemptAt: next.retryInS === null ? sql`now()` : sql`now() + make_interval(secs => ${next.retryInS}::int)`,
        finishedAt: next.state === "pending" ? null : sql`now()`,
      })
      .where(eq(webhookDeliveries.id, delivery.id))
      .returning();
    if (!updated) throw new Error(`delivery ${delivery.id} vanished while being sent`);
    if (outcome.ok) {
      await tx.update(webhookEndpoints).set({ failingSince: null }).where(eq(webhookEndpoints.id, delivery.endpointId));
      return { delivery: updated, disabled: null };
    }
    const lastError = outcome.error ?? "failed";
    const [endpoint] = await tx
      .update(webhookEndpoints)
      .set({
        failingSince: sql`coalesce(${webhookEndpoints.failingSince}, now())`,
        enabled: sql`${webhookEndpoints.enabled} and coalesce(${webhookEndpoints.failingSince}, now()) > now() - make_interval(days => ${DISABLE_AFTER_FAILING_DAYS}::int)`,
        disabledReason: sql`case when ${webhookEndpoints.enabled} and ${webhookEndpoints.failingSince} <= now() - make_interval(days => ${DISABLE_AFTER_FAILING_DAYS}::int)
          then ${`Every delivery failed for ${DISABLE_AFTER_FAILING_DAYS} days; the last: ${lastError}.`}::text
          else ${webhookEndpoints.disabledReason} end`,
      })
      .where(eq(webhookEndpoints.id, delivery.endpointId))
      .returning();
    const disabledNow = endpoint && endpointWasEnabled && !endpoint.enabled;
    return { delivery: updated, disabled: disabledNow ? { endpoint, lastError } : null };
  });
}

/** The chain's oldest message not yet done with. */
async function headOf(db: Database, endpointId: string, chain: string): Promise<WebhookDelivery | undefined> {
  const [head] = await db
    .select()
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.endpointId, endpointId),
        eq(webhookDeliveries.chain, chain),
        eq(webhookDeliveries.state, "pending"),
      ),
    )
    .orderBy(asc(webhookDeliveries.sequence))
    .limit(1);
  return head;
}

/**
 * One attempt to send `head`, as a span of its job's trace (tracing on),
 * whose traceparent goes with the message: a receiver that traces joins the
 * trace its job's submit began.
 */
async function sendTraced(
  db: Database,
  endpoint: { id: string; url: string; secret: string },
  head: WebhookDelivery,
  policy: DestinationPolicy,
): Promise<AttemptOutcome> {
  const traceParent =
    head.jobId && tracingConfigured()
      ? ((await db.select({ traceParent: jobs.traceParent }).from(jobs).where(eq(jobs.id, head.jobId)))[0]
          ?.traceParent ?? null)
      : null;
  const attributes = { "webhook.event": head.event, "webhook.endpoint.id": endpoint.id, "http.request.method": "POST" };
  const parent = contextOf(traceParent ? { traceparent: traceParent } : null);
  return inSpan(`webhook ${head.event}`, { kind: SpanKind.CLIENT, attributes, parent }, async (span) => {
    const outcome = await sendMessage(new URL(endpoint.url), messageOf(head), endpoint.secret, policy, traceHeaders());
    if (outcome.status !== null) span.setAttribute("http.response.status_code", outcome.status);
    return outcome;
  });
}

/**
 * Sends the chain's messages in order until it is empty or one must wait
 * (for its retry, which is queued here), to destinations `policy` allows.
 * `onDisabled` hears of an endpoint this chain's failures disabled. A
 * disabled endpoint's messages wait for it to be enabled again; test
 * messages go regardless.
 */
export async function deliverChain(
  db: Database,
  endpointId: string,
  chain: string,
  { policy, onDisabled }: { policy: DestinationPolicy; onDisabled: (disabled: Disabled) => Promise<void> },
): Promise<void> {
  for (;;) {
    const [endpoint] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, endpointId));
    const head = endpoint ? await headOf(db, endpointId, chain) : undefined;
    if (!endpoint || !head) return;
    if (!endpoint.enabled && head.event !== "webhook.test") return;
    if (head.nextAttemptAt.getTime() > Date.now()) {
      await queueWebhookChain(db, endpointId, chain, head.nextAttemptAt);
      return;
    }
    const outcome = await sendTraced(db, endpoint, head, policy);
    const { delivery, disabled } = await recordAttempt(db, head, endpoint.enabled, outcome);
    if (disabled) await onDisabled(disabled);
    if (delivery.state === "pending") {
      await queueWebhookChain(db, endpointId, chain, delivery.nextAttemptAt);
      return;
    }
  }
}
