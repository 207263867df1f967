import { z } from "zod";
import type { Database } from "@/db/client";
import { appendAuditedJobs, recordAudit } from "@/lib/admin/audit";
import { bulkTargets } from "@/lib/admin/queries";
import { defineJobType } from "@/lib/jobs/define";
import { cancelJob, retryJob } from "@/lib/jobs/lifecycle";
import { findJob } from "@/lib/jobs/queries";
import { adminJobFilters, bulkActionRequest } from "@/lib/jobs/schemas";

// "Everything matching" is capped, so one click cannot queue a million retries.
const MAX_JOBS = 10_000;
const CHUNK = 50;

const input = bulkActionRequest.and(
  z.object({
    // Set by the admin route, never by a client: internal types cannot be submitted.
    actor: z.object({ id: z.string(), email: z.string() }),
  }),
);

const everyOwner = { allOwners: true } as const;

/**
 * An admin's bulk retry or cancel, run as a job of its own so that acting on
 * thousands of jobs reports progress instead of holding a request open. Each
 * job goes through the same lifecycle calls as a single retry or cancel, and
 * the jobs it changed are added to the action's audit row as it goes (the
 * row is written when the action starts, so even a stopped one is on record).
 */
export default defineJobType({
  type: "admin.bulk",
  title: "Bulk action",
  description: "Retries or cancels many jobs at once, for an admin.",
  input,
  result: "json",
  maxAttempts: 1,
  internal: true,
  async run({ jobId, input, db, progress, signal }) {
    const targets = await bulkTargets(
      db,
      input.jobIds ? { jobIds: input.jobIds } : { filters: adminJobFilters.parse(input.filter ?? {}) },
      MAX_JOBS,
    );
    const ids = targets.filter((id) => id !== jobId);
    const auditId = await recordAudit(db, {
      actor: input.actor,
      action: `bulk-${input.action}`,
      jobIds: [],
      detail: { bulkJobId: jobId, matched: ids.length, ...(input.filter ? { filter: input.filter } : {}) },
    });
    const verb = input.action === "retry" ? "Retrying" : "Cancelling";
    let changed = 0;
    let skipped = 0;
    progress(0, `${verb} ${ids.length} jobs`);

    for (let start = 0; start < ids.length; start += CHUNK) {
      signal.throwIfAborted();
      const changedInChunk: string[] = [];
      for (const id of ids.slice(start, start + CHUNK)) {
        const didChange =
          input.action === "cancel" ? await cancelOne(db, id, input.actor.email) : await retryOne(db, id);
        if (didChange) changedInChunk.push(id);
      }
      changed += changedInChunk.length;
      skipped += Math.min(CHUNK, ids.length - start) - changedInChunk.length;
      await appendAuditedJobs(db, auditId, changedInChunk);
      const done = Math.min(start + CHUNK, ids.length);
      progress(Math.floor((done / ids.length) * 100), `${verb}: ${done} of ${ids.length}`);
    }
    const summary = `${changed} ${input.action === "retry" ? "retried" : "cancelled"}, ${skipped} skipped`;
    progress(100, summary);
    return { kind: "json", value: { action: input.action, matched: ids.length, changed, skipped } };
  },
});

/** Cancels one job if it is queued or running; a finished one is skipped. */
async function cancelOne(db: Database, id: string, actorEmail: string): Promise<boolean> {
  return (await cancelJob(db, everyOwner, id, actorEmail)).kind === "cancelled";
}

/** Retries one job if it failed; anything else is skipped. */
async function retryOne(db: Database, id: string): Promise<boolean> {
  // Imported here: the registry imports this file, so a top-level import would be a cycle.
  const { findJobType } = await import("@/lib/jobs/registry");
  const job = await findJob(db, everyOwner, id);
  const jobType = job && findJobType(job.type);
  if (!job || !jobType || job.state !== "failed") return false;
  return (await retryJob(db, everyOwner, id, jobType)).kind === "retried";
}
