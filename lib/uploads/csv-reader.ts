import { finished } from "node:stream/promises";
import { setImmediate } from "node:timers/promises";
import { parse } from "csv-parse";
import { InvalidUpload } from "@/lib/errors";

export const MAX_CSV_BYTES = 1024 * 1024;
export const MAX_CSV_ROWS = 5_000;

export interface CheckedCsv {
  columns: string[];
  rows: Record<string, string>[];
}

// How much text the parser takes before the event loop gets a turn: a 1 MiB file is parsed in slices of
// about a millisecond each, so a user uploading big files does not hold up everyone else's requests.
const SLICE_CHARS = 32 * 1024;

const PARSE_OPTIONS = {
  columns: (header: string[]) => header.map((name) => name.trim().toLowerCase()),
  bom: true,
  skip_empty_lines: true,
  trim: true,
  relax_column_count: true,
};

/**
 * Parses a recipients CSV and checks what a bulk email needs before any job
 * runs: UTF-8 text, a header row with an `email` column, at least one and at
 * most MAX_CSV_ROWS data rows. Each failure is an InvalidUpload saying which.
 * Rows are checked one by one later, by the job, which reports them. Parsed
 * a slice at a time (see SLICE_CHARS), and no further than one row past the
 * most a file may have.
 */
export async function checkRecipientsCsv(content: Buffer): Promise<CheckedCsv> {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(content);
  } catch {
    throw new InvalidUpload("The file is not UTF-8 text.");
  }
  // Valid UTF-8, but no text column in PostgreSQL can hold it.
  if (text.includes("\0")) throw new InvalidUpload("The file holds NUL characters; a CSV of text has none.");
  const records: Record<string, string>[] = [];
  try {
    const parser = parse(PARSE_OPTIONS);
    let failure: Error | null = null;
    parser.on("error", (error) => {
      failure = error;
    });
    parser.on("data", (record: Record<string, string>) => records.push(record));
    for (let at = 0; at < text.length && !failure && records.length <= MAX_CSV_ROWS; at += SLICE_CHARS) {
      parser.write(text.slice(at, at + SLICE_CHARS));
      await setImmediate();
    }
    if (!failure && records.length <= MAX_CSV_ROWS) {
      parser.end();
      await finished(parser).catch(() => {});
    } else parser.destroy();
    if (failure) throw failure;
  } catch (error) {
    throw new InvalidUpload(`The file is not CSV: ${(error as Error).message}`);
  }
  const columns = records.length > 0 ? Object.keys(records[0] ?? {}) : headerOf(text);
  if (!columns.includes("email")) {
    throw new InvalidUpload('The first row must name the columns, one of them "email".');
  }
  if (records.length === 0) throw new InvalidUpload("The file has no recipients below its header row.");
  if (records.length > MAX_CSV_ROWS) {
    throw new InvalidUpload(`The file has more than ${MAX_CSV_ROWS} rows; at most ${MAX_CSV_ROWS} are allowed.`);
  }
  return { columns, rows: records };
}

function headerOf(text: string): string[] {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? "";
  return firstLine.split(",").map((name) => name.trim().toLowerCase());
}
