import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { auditLog } from "@/db/schema";

type Executor = Pick<Database, "insert" | "execute">;

/** Who did something: a user, by id and email. */
export interface Actor {
  id: string;
  email: string;
  /** Where the request came from (lib/http/forwarded.ts), when known. */
  address?: string;
}

/** One admin action, as the audit log keeps it. */
export interface AuditEntry {
  actor: Actor;
  action: string;
  jobIds: string[];
  detail?: Record<string, unknown>;
}

/** Writes an audit row; pass a transaction to make it part of the change it records. */
export async function recordAudit(db: Executor, entry: AuditEntry): Promise<number> {
  const [row] = await db
    .insert(auditLog)
    .values({
      actorId: entry.actor.id,
      actorEmail: entry.actor.email,
      action: entry.action,
      jobIds: entry.jobIds,
      detail: { ...entry.detail, ...(entry.actor.address ? { actorAddress: entry.actor.address } : {}) },
    })
    .returning({ id: auditLog.id });
  if (!row) throw new Error("audit insert returned nothing");
  return row.id;
}

/** A bulk action adds the jobs it changed to its audit row as it goes. */
export async function appendAuditedJobs(db: Executor, auditId: number, jobIds: string[]): Promise<void> {
  if (jobIds.length === 0) return;
  await db.execute(
    sql`update ${auditLog} set job_ids = job_ids || ${`{${jobIds.join(",")}}`}::uuid[] where id = ${auditId}`,
  );
}
