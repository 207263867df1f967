import { and, eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { jobs, schedules, uploads } from "@/db/schema";
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
 * split a header or a log line) or format characters (bidirectional
 * overrides disguise an extension; zero-width ones hide in plain sight),
 * spaces collapsed, at most 200 characters.
 */
export function displayName(filename: string): string {
  const base = filename.split(/[/\\]/).pop() ?? "";
  const spaced = base
    .replace(/[\p{Cc}\p{Cf}]/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
  // By code point, so that a character outside the BMP is never cut in half.
  const cleaned = Array.from(spaced).slice(0, 200).join("").trim();
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

/** A job type's input member that names an upload (lib/jobs/registry.ts: uploadFieldsOf). */
export interface UploadField {
  type: string;
  field: string;
}

/**
 * Deletes uploads sent more than `unusedHours` ago that no schedule names and no job still kept
 * (not expired) names, in a member that job types declare for uploads
 * (`fields`). Returns how many. A submit naming such an upload at the very
 * moment it is deleted makes a job that fails saying its file is gone: the
 * window is one statement wide, once every ten minutes, for files a day
 * old that nothing used, and closing it would cost every submit a write.
 */
export async function forgetUnusedUploads(
  db: Database,
  unusedHours: number,
  fields: UploadField[],
  limit = 500,
): Promise<number> {
  const namedBy = (row: string) =>
    fields.length === 0
      ? sql`false`
      : sql.join(
          fields.map(
            ({ type, field }) =>
              sql`(${sql.raw(row)}.type = ${type} and ${sql.raw(row)}.input ->> ${field} = u.id::text)`,
          ),
          sql` or `,
        );
  const forgotten = await db.execute<{ id: string }>(sql`
    delete from ${uploads} where ${uploads.id} in (
      select u.id from ${uploads} u
      where u.created_at < now() - make_interval(hours => ${unusedHours})
        and not exists (
          select 1 from ${jobs} j
          where j.owner_id = u.owner_id and j.created_at >= u.created_at and j.expired_at is null and (${namedBy("j")})
        )
        -- A schedule's runs will need it as long as the schedule lasts.
        and not exists (select 1 from ${schedules} s where s.owner_id = u.owner_id and (${namedBy("s")}))
      limit ${limit}
    ) returning ${uploads.id}`);
  return forgotten.length;
}
