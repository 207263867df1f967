import { and, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { uploads } from "@/db/schema";

/** An upload, if it exists and belongs to `ownerId`: nobody's job reads someone else's file. */
export async function findUpload(db: Database, id: string, ownerId: string | null) {
  if (!ownerId) return null;
  const [upload] = await db
    .select()
    .from(uploads)
    .where(and(eq(uploads.id, id), eq(uploads.ownerId, ownerId)));
  return upload ?? null;
}
