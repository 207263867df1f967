import { and, asc, desc, eq, gt, gte, inArray, lt, or, type SQL, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { auditLog, type Job, jobSearchDocument, jobs, users, workerHeartbeats } from "@/db/schema";
import type { AdminCursor, AdminJobFilters, AdminSort } from "@/lib/jobs/filters";
import { sharedFilterConditions } from "@/lib/jobs/queries";
import { ownersByUsage } from "@/lib/jobs/quotas";
import { jobStates } from "@/lib/jobs/states";
import { typeQueueStates } from "@/lib/jobs/type-controls";

/**
 * The admin console's filters as SQL. The search uses the same expression
 * as the jobs_search_idx GIN index, so it is an index scan, not a table scan.
 */
export function adminFilterConditions(filters: AdminJobFilters): SQL | undefined {
  return and(
    sharedFilterConditions(filters),
    filters.owner
      ? sql`${jobs.ownerId} in (select ${users.id} from ${users} where ${users.email} = ${filters.owner.toLowerCase()} or ${users.id} = ${filters.owner})`
      : undefined,
    filters.from ? gte(jobs.createdAt, new Date(filters.from)) : undefined,
    filters.to ? lt(jobs.createdAt, new Date(filters.to)) : undefined,
    filters.q ? sql`${jobSearchDocument} @@ websearch_to_tsquery('simple', ${filters.q})` : undefined,
  );
}

const sortColumns = {
  "created-desc": { column: jobs.createdAt, descending: true },
  "created-asc": { column: jobs.createdAt, descending: false },
  "updated-desc": { column: jobs.updatedAt, descending: true },
} as const;

export type AdminJob = Job & { ownerEmail: string | null };

/** Every owner's jobs, filtered and sorted, keyset-paginated on (sort column, id). */
export async function searchJobs(
  db: Database,
  filters: AdminJobFilters & { sort: AdminSort; limit: number; cursor?: AdminCursor },
): Promise<{ items: AdminJob[]; nextCursor: AdminCursor | null }> {
  const { column, descending } = sortColumns[filters.sort];
  const { cursor, limit } = filters;
  const beyond = descending ? lt : gt;
  const after = cursor
    ? or(beyond(column, new Date(cursor.at)), and(eq(column, new Date(cursor.at)), beyond(jobs.id, cursor.id)))
    : undefined;
  const order = descending ? [desc(column), desc(jobs.id)] : [asc(column), asc(jobs.id)];
  const rows = await db
    .select({ job: jobs, ownerEmail: users.email })
    .from(jobs)
    .leftJoin(users, eq(users.id, jobs.ownerId))
    .where(and(adminFilterConditions(filters), after))
    .orderBy(...order)
    .limit(limit + 1);
  const items = rows.slice(0, limit).map(({ job, ownerEmail }) => ({ ...job, ownerEmail }));
  const last = items.at(-1);
  const lastAt = last && (filters.sort === "updated-desc" ? last.updatedAt : last.createdAt);
  const nextCursor = rows.length > limit && last && lastAt ? { at: lastAt.toISOString(), id: last.id } : null;
  return { items, nextCursor };
}

/**
 * The jobs a bulk action works through: those named, or every job matching a
 * filter. Queued jobs come before running ones, so that cancelling a running
 * job does not free a worker slot for a queued job about to be cancelled too.
 */
export async function bulkTargets(
  db: Database,
  target: { jobIds: string[] } | { filters: AdminJobFilters },
  limit: number,
): Promise<string[]> {
  const rows = await db
    .select({ id: jobs.id })
    .from(jobs)
    .where("jobIds" in target ? inArray(jobs.id, target.jobIds) : adminFilterConditions(target.filters))
    .orderBy(sql`${jobs.state} = 'running'`, asc(jobs.createdAt))
    .limit(limit);
  return rows.map((row) => row.id);
}

export async function findOwnerEmail(db: Database, ownerId: string | null): Promise<string | null> {
  if (!ownerId) return null;
  const [owner] = await db.select({ email: users.email }).from(users).where(eq(users.id, ownerId));
  return owner?.email ?? null;
}

export async function recentAudit(db: Database, limit: number) {
  return db.select().from(auditLog).orderBy(desc(auditLog.at), desc(auditLog.id)).limit(limit);
}

// The overview lists this many users by unfinished jobs.
const OVERVIEW_OWNERS = 10;

export interface MinuteBucket {
  minute: string;
  succeeded: number;
  failed: number;
}

/**
 * What the overview shows: jobs by state, the queue, and the last hour's
 * throughput and failures per minute (from finished_at, indexed), plus live
 * workers from their heartbeats.
 */
export async function overview(db: Database, workerDeadAfterMs: number) {
  const [byState, queue, perMinute, workers, types, owners] = await Promise.all([
    db.select({ state: jobs.state, count: sql<number>`count(*)::int` }).from(jobs).groupBy(jobs.state),
    db
      .select({
        depth: sql<number>`count(*)::int`,
        oldestCreatedAt: sql<string | null>`min(${jobs.createdAt})`,
      })
      .from(jobs)
      .where(eq(jobs.state, "queued")),
    db.execute<{ minute: string; succeeded: number; failed: number }>(sql`
      select to_char(m.minute at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI"Z"') as minute,
             count(*) filter (where ${jobs.state} = 'succeeded')::int as succeeded,
             count(*) filter (where ${jobs.state} = 'failed')::int as failed
      from generate_series(date_trunc('minute', now()) - interval '59 minutes', date_trunc('minute', now()), interval '1 minute') as m(minute)
      left join ${jobs} on ${jobs.finishedAt} >= m.minute and ${jobs.finishedAt} < m.minute + interval '1 minute'
      group by m.minute order by m.minute`),
    // One row per worker process; each process runs two pools (jobs, admin actions).
    db
      .select({
        hostname: workerHeartbeats.hostname,
        pid: workerHeartbeats.pid,
        pools: sql<number>`count(*)::int`,
        startedAt: sql<Date>`min(${workerHeartbeats.startedAt})`.mapWith(workerHeartbeats.startedAt),
        lastSeenAt: sql<Date>`max(${workerHeartbeats.lastSeenAt})`.mapWith(workerHeartbeats.lastSeenAt),
      })
      .from(workerHeartbeats)
      .where(gt(workerHeartbeats.lastSeenAt, sql`now() - make_interval(secs => ${workerDeadAfterMs / 1000})`))
      .groupBy(workerHeartbeats.hostname, workerHeartbeats.pid)
      .orderBy(sql`min(${workerHeartbeats.startedAt})`),
    typeQueueStates(db),
    ownersByUsage(db, OVERVIEW_OWNERS),
  ]);
  const counts = Object.fromEntries(jobStates.map((state) => [state, 0])) as Record<(typeof jobStates)[number], number>;
  for (const row of byState) counts[row.state] = row.count;
  const oldest = queue[0]?.oldestCreatedAt;
  return {
    counts,
    queueDepth: queue[0]?.depth ?? 0,
    oldestQueuedAgeSeconds: oldest ? Math.max(0, Math.round((Date.now() - new Date(oldest).getTime()) / 1000)) : null,
    perMinute: [...perMinute] as MinuteBucket[],
    workers: workers.map((worker) => ({
      pools: worker.pools,
      hostname: worker.hostname,
      pid: worker.pid,
      startedAt: worker.startedAt.toISOString(),
      lastSeenAt: worker.lastSeenAt.toISOString(),
    })),
    types,
    owners,
  };
}
export type Overview = Awaited<ReturnType<typeof overview>>;
