import { and, desc, eq, inArray, isNull, lt, or, type SQL, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { type Job, jobFiles, jobs } from "@/db/schema";
import type { JobFilters, ListCursor } from "./schemas";

/** Whose jobs a caller may see; null is the anonymous owner until users exist. */
export type OwnerScope = { ownerId: string | null };

export function ownedBy({ ownerId }: OwnerScope): SQL {
  return ownerId === null ? isNull(jobs.ownerId) : eq(jobs.ownerId, ownerId);
}

export function jobFilterConditions(scope: OwnerScope, filters: JobFilters): SQL | undefined {
  return and(
    ownedBy(scope),
    filters.state ? inArray(jobs.state, filters.state) : undefined,
    filters.type ? eq(jobs.type, filters.type) : undefined,
  );
}

// Built once per client: the status monitor is the hottest query there is.
const findJobStatements = new WeakMap<Database, ReturnType<typeof prepareFindJob>>();
function prepareFindJob(db: Database) {
  return db
    .select()
    .from(jobs)
    .where(
      and(eq(jobs.id, sql.placeholder("id")), sql`${jobs.ownerId} is not distinct from ${sql.placeholder("ownerId")}`),
    )
    .prepare("find_job");
}

/** One query: the status monitor's whole cost. */
export async function findJob(db: Database, scope: OwnerScope, id: string): Promise<Job | null> {
  let statement = findJobStatements.get(db);
  if (!statement) {
    statement = prepareFindJob(db);
    findJobStatements.set(db, statement);
  }
  const [job] = await statement.execute({ id, ownerId: scope.ownerId });
  return job ?? null;
}

/** Newest first, keyset-paginated on (created_at, id). */
export async function listJobs(
  db: Database,
  scope: OwnerScope,
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
