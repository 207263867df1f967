import { parse } from "csv-parse/sync";
import { InvalidUpload } from "@/lib/errors";

export const MAX_CSV_BYTES = 1024 * 1024;
export const MAX_CSV_ROWS = 5_000;

export interface CheckedCsv {
  columns: string[];
  rows: Record<string, string>[];
}

/**
 * Parses a recipients CSV and checks what a bulk email needs before any job
 * runs: UTF-8 text, a header row with an `email` column, at least one and at
 * most MAX_CSV_ROWS data rows. Each failure is an InvalidUpload saying which.
 * Rows are checked one by one later, by the job, which reports them.
 */
export function checkRecipientsCsv(content: Buffer): CheckedCsv {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(content);
  } catch {
    throw new InvalidUpload("The file is not UTF-8 text.");
  }
  // Valid UTF-8, but no text column in PostgreSQL can hold it.
  if (text.includes("\0")) throw new InvalidUpload("The file holds NUL characters; a CSV of text has none.");
  let records: Record<string, string>[];
  try {
    records = parse(text, {
      columns: (header: string[]) => header.map((name) => name.trim().toLowerCase()),
      bom: true,
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
    });
  } catch (error) {
    throw new InvalidUpload(`The file is not CSV: ${(error as Error).message}`);
  }
  const columns = records.length > 0 ? Object.keys(records[0] ?? {}) : headerOf(text);
  if (!columns.includes("email")) {
    throw new InvalidUpload('The first row must name the columns, one of them "email".');
  }
  if (records.length === 0) throw new InvalidUpload("The file has no recipients below its header row.");
  if (records.length > MAX_CSV_ROWS) {
    throw new InvalidUpload(`The file has ${records.length} rows; at most ${MAX_CSV_ROWS} are allowed.`);
  }
  return { columns, rows: records };
}

function headerOf(text: string): string[] {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? "";
  return firstLine.split(",").map((name) => name.trim().toLowerCase());
}
