import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { jobs, users } from "@/db/schema";
import { config, publicUrl } from "@/lib/config";
import { findJobType } from "@/lib/jobs/registry";
import type { Disabled } from "@/lib/webhooks/chain";
import { sendMail } from "./send";

/** What Accepted itself tells people by email (through the same path as jobs' mail: SMTP, or the mailbox). */

const ownerEmail = async (db: Database, ownerId: string) =>
  (await db.select({ email: users.email }).from(users).where(eq(users.id, ownerId)))[0]?.email ?? null;

const outcomeWords = { succeeded: "is done", failed: "failed", cancelled: "was cancelled" } as const;

/**
 * "Email me when done": tells the job's owner how it ended, with a link to
 * it. Nothing is sent for a job that has no owner, or that is no longer
 * finished (retried since: it will say again when it finishes).
 */
export async function emailWhenDone(db: Database, jobId: string): Promise<boolean> {
  const [job] = await db.select().from(jobs).where(eq(jobs.id, jobId));
  if (!job?.ownerId || !(job.state === "succeeded" || job.state === "failed" || job.state === "cancelled"))
    return false;
  const to = await ownerEmail(db, job.ownerId);
  if (!to) return false;
  const title = findJobType(job.type)?.title ?? job.type;
  const link = `${publicUrl(config())}/jobs/${job.id}`;
  const lines = [
    `Your job "${title}" ${outcomeWords[job.state]}.`,
    job.message ? `\n${job.message}` : "",
    job.state === "failed" && job.error ? `\n${job.error.detail}` : "",
    `\nSee it (and its result) here: ${link}`,
    "\nYou asked to be told when it finished. — Accepted",
  ];
  await sendMail(
    db,
    { to, subject: `${title} ${outcomeWords[job.state]}`, text: lines.filter(Boolean).join("\n") },
    { jobId: job.id, ownerId: job.ownerId },
  );
  return true;
}

/** Tells an endpoint's owner that it was disabled, and how to bring it back. */
export async function tellEndpointDisabled(db: Database, { endpoint, lastError }: Disabled): Promise<void> {
  const to = await ownerEmail(db, endpoint.ownerId);
  if (!to) return;
  const link = `${publicUrl(config())}/settings/webhooks/${endpoint.id}`;
  const text = [
    `Every delivery to your webhook endpoint ${endpoint.url} has failed for three days, so it has been disabled.`,
    `The last attempt: ${lastError}.`,
    `\nIts messages are kept. Fix the receiver, then enable the endpoint again (its waiting messages go out then): ${link}`,
  ].join("\n");
  await sendMail(
    db,
    { to, subject: "Your webhook endpoint was disabled", text },
    { jobId: null, ownerId: endpoint.ownerId },
  );
}
