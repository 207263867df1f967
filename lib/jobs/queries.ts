import { and, desc, eq, inArray, isNull, lt, or, type SQL, sql } from "drizzle-orm";
import { type Database, oncePerClient } from "@/db/client";
import { type Job, jobFiles, jobs } from "@/db/schema";
import { JobNotFound } from "@/lib/errors";
import type { JobFilters, ListCursor } from "@/lib/jobs/filters";

/** Whose jobs a caller may see and act on: one owner's, or (admins) everyone's. */
export type JobScope = { ownerId: string } | { allOwners: true };

/** An admin's scope: every owner's jobs. */
export const everyOwner: JobScope = { allOwners: true };

export function ownedBy(scope: JobScope): SQL | undefined {
  return "allOwners" in scope ? undefined : eq(jobs.ownerId, scope.ownerId);
}

/** The same test in memory, for changes heard on the feed. */
export function inScope(scope: JobScope, ownerId: string | null): boolean {
  return "allOwners" in scope || scope.ownerId === ownerId;
}

/** The list filters every list shares (the user's and the admin console's). */
export function sharedFilterConditions(filters: JobFilters): SQL | undefined {
  return and(
    filters.state ? inArray(jobs.state, filters.state) : undefined,
    filters.type ? eq(jobs.type, filters.type) : undefined,
    filters.batch === "none" ? isNull(jobs.batchId) : filters.batch ? eq(jobs.batchId, filters.batch) : undefined,
    filters.schedule ? eq(jobs.scheduleId, filters.schedule) : undefined,
  );
}

export function jobFilterConditions(scope: JobScope, filters: JobFilters): SQL | undefined {
  return and(ownedBy(scope), sharedFilterConditions(filters));
}

// Built once per client: the status monitor is the hottest query there is.
const findJobStatement = oncePerClient((db) =>
  db
    .select()
    .from(jobs)
    .where(
      // A null owner placeholder is an admin's scope: any owner.
      and(
        eq(jobs.id, sql.placeholder("id")),
        sql`(${sql.placeholder("ownerId")}::text is null or ${jobs.ownerId} = ${sql.placeholder("ownerId")})`,
      ),
    )
    .prepare("find_job"),
);

/** One query: the status monitor's whole cost. */
export async function findJob(db: Database, scope: JobScope, id: string): Promise<Job | null> {
  const [job] = await findJobStatement(db).execute({ id, ownerId: "allOwners" in scope ? null : scope.ownerId });
  return job ?? null;
}

/** The job, if the scope lets the caller see it; otherwise JobNotFound, the same as for a job that does not exist. */
export async function requireJob(db: Database, scope: JobScope, id: string): Promise<Job> {
  const job = await findJob(db, scope, id);
  if (!job) throw new JobNotFound(id);
  return job;
}

/** Newest first, keyset-paginated on (created_at, id). */
export async function listJobs(
  db: Database,
  scope: JobScope,
  filters: JobFilters & { limit: number; cursor?: ListCursor },
): Promise<{ items: Job[]; nextCursor: ListCursor | null }> {
  const { cursor, limit } = filters;
  const after = cursor
    ? or(
        lt(jobs.createdAt, new Date(cursor.createdAt)),
        and(eq(jobs.createdAt, new Date(cursor.createdAt)), lt(jobs.id, cursor.id)),
      )
    : undefined;
  const rows = await db
    .select()
    .from(jobs)
    .where(and(jobFilterConditions(scope, filters), after))
    .orderBy(desc(jobs.createdAt), desc(jobs.id))
    .limit(limit + 1);
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  const nextCursor = rows.length > limit && last ? { createdAt: last.createdAt.toISOString(), id: last.id } : null;
  return { items, nextCursor };
}

export async function findResultFile(db: Database, jobId: string) {
  const [file] = await db.select().from(jobFiles).where(eq(jobFiles.jobId, jobId));
  return file ?? null;
}
