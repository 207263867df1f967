import type { Database } from "@/db/client";
import { bulkTargets } from "@/lib/admin/queries";
import { type Actor, appendAuditedJobs, recordAudit } from "@/lib/audit";
import { DomainError } from "@/lib/errors";
import { adminJobFilters } from "@/lib/jobs/filters";
import { cancelJob, retryJob } from "@/lib/jobs/lifecycle";
import { everyOwner } from "@/lib/jobs/queries";
import { adminBulk } from "@/lib/jobs/types/admin-bulk";
import { defineHandler } from "../handler";

// "Everything matching" is capped, so one click cannot queue a million retries.
const MAX_JOBS = 10_000;
const CHUNK = 50;

/**
 * An admin's bulk retry or cancel, run as a job of its own so that acting on
 * thousands of jobs reports progress instead of holding a request open. Each
 * job goes through the same lifecycle calls as a single retry or cancel, and
 * the jobs it changed are added to the action's audit row as it goes (the
 * row is written when the action starts, so even a stopped one is on record).
 */
export default defineHandler(adminBulk, async ({ jobId, input, db, progress, signal, logger }) => {
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
  logger.info(
    { matched: ids.length, action: input.action, by: input.actor.email },
    `${verb} ${ids.length} jobs, for ${input.actor.email}`,
  );
  progress(0, `${verb} ${ids.length} jobs`);

  for (let start = 0; start < ids.length; start += CHUNK) {
    signal.throwIfAborted();
    const changedInChunk: string[] = [];
    for (const id of ids.slice(start, start + CHUNK)) {
      const didChange =
        input.action === "cancel" ? await cancelOne(db, id, input.actor) : await retryOne(db, id, input.actor);
      if (didChange) changedInChunk.push(id);
    }
    changed += changedInChunk.length;
    skipped += Math.min(CHUNK, ids.length - start) - changedInChunk.length;
    await appendAuditedJobs(db, auditId, changedInChunk);
    const done = Math.min(start + CHUNK, ids.length);
    progress(Math.floor((done / ids.length) * 100), `${verb}: ${done} of ${ids.length}`);
  }
  const summary = `${changed} ${input.action === "retry" ? "retried" : "cancelled"}, ${skipped} skipped`;
  logger.info({ changed, skipped }, `Done: ${summary} (a job already finished, or not failed, is skipped)`);
  progress(100, summary);
  return { kind: "json", value: { action: input.action, matched: ids.length, changed, skipped } };
});

/**
 * Applies one command through the lifecycle; a job it does not apply to (a
 * finished one for cancel, any but a failed one for retry, one deleted
 * meanwhile) is skipped.
 */
async function skipsInapplicable(command: () => Promise<boolean>): Promise<boolean> {
  try {
    return await command();
  } catch (error) {
    if (error instanceof DomainError) return false;
    throw error;
  }
}

const cancelOne = (db: Database, id: string, actor: Actor) =>
  // An already cancelled job is not one this action changed.
  skipsInapplicable(async () => (await cancelJob(db, everyOwner, id, { actor })).changed);

const retryOne = (db: Database, id: string, actor: Actor) =>
  skipsInapplicable(async () => Boolean(await retryJob(db, everyOwner, id, { actor })));
