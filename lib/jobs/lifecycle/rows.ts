import { getTableColumns } from "drizzle-orm";
import { type Job, jobs } from "@/db/schema";

/** Maps a raw jobs row (snake_case, driver values) to drizzle's Job, as a select would, column by column. */
export function jobFromRow(row: Record<string, unknown>): Job {
  const job: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(getTableColumns(jobs))) {
    const value = row[column.name];
    job[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return job as Job;
}
