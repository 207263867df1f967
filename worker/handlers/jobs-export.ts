import { and, asc, count, gt, ne } from "drizzle-orm";
import { jobs } from "@/db/schema";
import { toCsv } from "@/lib/csv-writer";
import { jobFilterConditions } from "@/lib/jobs/queries";
import { jobsExport } from "@/lib/jobs/types/jobs-export";
import { defineHandler } from "../handler";

const PAGE_SIZE = 500;

const COLUMNS = [
  "id",
  "type",
  "state",
  "progress",
  "message",
  "attempts",
  "created_at",
  "started_at",
  "finished_at",
  "error",
] as const;

const iso = (date: Date | null) => date?.toISOString() ?? "";

/** Exports the owner's job history, filtered, to a CSV file. */
export default defineHandler(jobsExport, async ({ jobId, ownerId, input, db, progress, signal, logger }) => {
  const filters = { state: input.state ? [input.state] : undefined, type: input.type };
  // The export's owner sees only their own jobs, and not the export itself.
  // A job from before users existed has no owner, and so nothing to export.
  const matching = and(jobFilterConditions({ ownerId: ownerId ?? "" }, filters), ne(jobs.id, jobId));
  const [{ total } = { total: 0 }] = await db.select({ total: count() }).from(jobs).where(matching);

  const lines = [toCsv([COLUMNS])];
  let lastId: string | undefined;
  let written = 0;
  logger.info({ total, state: input.state ?? null, type: input.type ?? null }, `${total} jobs match the export`);
  progress(0, `Exporting ${total} jobs`);
  for (;;) {
    signal.throwIfAborted();
    const page = await db
      .select()
      .from(jobs)
      .where(and(matching, lastId ? gt(jobs.id, lastId) : undefined))
      .orderBy(asc(jobs.id))
      .limit(PAGE_SIZE);
    if (page.length === 0) break;
    lines.push(
      toCsv(
        page.map((job) => [
          job.id,
          job.type,
          job.state,
          job.progress,
          job.message ?? "",
          job.attempts,
          iso(job.createdAt),
          iso(job.startedAt),
          iso(job.finishedAt),
          job.error?.detail ?? "",
        ]),
      ),
    );
    written += page.length;
    logger.debug({ rows: page.length, written }, `Wrote ${page.length} rows (${written} of ${total})`);
    lastId = page.at(-1)?.id;
    progress(total === 0 ? 100 : (written / total) * 100, `Exported ${written} of ${total} jobs`);
  }
  progress(100, `Exported ${written} job${written === 1 ? "" : "s"}`);
  const content = Buffer.from(lines.join(""), "utf8");
  logger.info(
    { rows: written, bytes: content.length },
    `Wrote jobs-export-${jobId}.csv: ${written} rows, ${content.length} bytes`,
  );
  return {
    kind: "file",
    filename: `jobs-export-${jobId}.csv`,
    contentType: "text/csv; charset=utf-8",
    content,
  };
});
