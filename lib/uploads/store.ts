import { and, eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { jobs, uploads } from "@/db/schema";
import { QuotaExceeded } from "@/lib/errors";
import { lockOwner } from "@/lib/owner-lock";

/** An upload, if it exists and belongs to `ownerId`: nobody's job reads someone else's file. */
export async function findUpload(db: Database, id: string, ownerId: string | null) {
  if (!ownerId) return null;
  const [upload] = await db
    .select()
    .from(uploads)
    .where(and(eq(uploads.id, id), eq(uploads.ownerId, ownerId)));
  return upload ?? null;
}

const DEFAULT_NAME = "recipients.csv";

/**
 * The name a file is shown and stored under: what follows its last "/" or
 * "\" (a client's path is not ours to keep, and "../../etc/passwd" reads as
 * a path to whoever sees it), without control characters (CR and LF could
 * split a header or a log line) or bidirectional overrides (which disguise
 * an extension), spaces collapsed, at most 200 characters.
 */
export function displayName(filename: string): string {
  const base = filename.split(/[/\\]/).pop() ?? "";
  const cleaned = base
    .replace(/[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu, " ")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 200)
    .trim();
  return cleaned === "" || cleaned === "." || cleaned === ".." ? DEFAULT_NAME : cleaned;
}

export interface NewUpload {
  ownerId: string;
  filename: string;
  contentType: string;
  content: Buffer;
  columns: string[];
  rows: number;
}

/**
 * Stores a checked file unless the owner's uploads would then take more
 * than `quotaBytes` (QuotaExceeded). The owner's lock makes the sum and the
 * insert one step, so concurrent uploads, on any web process, cannot all
 * fit under the quota by counting before each other's insert.
 */
export async function storeUpload(db: Database, upload: NewUpload, quotaBytes: number) {
  return db.transaction(async (tx) => {
    await lockOwner(tx, "uploads", upload.ownerId);
    const [usage] = await tx
      .select({ bytes: sql<number>`coalesce(sum(octet_length(${uploads.content})), 0)::bigint` })
      .from(uploads)
      .where(eq(uploads.ownerId, upload.ownerId));
    const used = Number(usage?.bytes ?? 0);
    if (used + upload.content.byteLength > quotaBytes) throw new QuotaExceeded(quotaBytes, used);
    const [stored] = await tx
      .insert(uploads)
      .values({ ...upload, filename: displayName(upload.filename) })
      .returning({ id: uploads.id, filename: uploads.filename, columns: uploads.columns, rows: uploads.rows });
    if (!stored) throw new Error("insert returned nothing");
    return { ...stored, size: upload.content.byteLength };
  });
}

/**
 * Deletes uploads older than `unusedHours` that no kept job names: never
 * used, or used only by jobs since expired (their retention ran out). A job
 * names an upload by its id as a top-level value of its input. Returns how many.
 */
export async function forgetUnusedUploads(db: Database, unusedHours: number, limit = 500): Promise<number> {
  const forgotten = await db.execute<{ id: string }>(sql`
    delete from ${uploads} where ${uploads.id} in (
      select u.id from ${uploads} u
      where u.created_at < now() - make_interval(hours => ${unusedHours})
        and not exists (
          select 1 from ${jobs} j
          where j.owner_id = u.owner_id and j.created_at >= u.created_at and j.expired_at is null
            and jsonb_path_exists(j.input, '$.* ? (@ == $id)', jsonb_build_object('id', u.id::text))
        )
      limit ${limit}
    ) returning ${uploads.id}`);
  return forgotten.length;
}
