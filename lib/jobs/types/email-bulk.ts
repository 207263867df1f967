import { z } from "zod";
import { declareJobType } from "../define";

// {{column}}, as the message and subject name a CSV column.
const PLACEHOLDER = /\{\{\s*([\w-]+)\s*\}\}/g;

/** Fills {{column}} placeholders from a CSV row's own columns (case-insensitive); a column the row lacks leaves nothing. */
export function renderTemplate(template: string, row: Record<string, string>): string {
  return template.replace(PLACEHOLDER, (_match, name: string) => {
    const column = name.toLowerCase();
    return Object.hasOwn(row, column) ? (row[column] ?? "") : "";
  });
}

const placeholdersOf = (template: string) => [...template.matchAll(PLACEHOLDER)].map((match) => match[1] ?? "");

/**
 * Sends one message per row of an uploaded CSV and reports each row. One
 * attempt only: running it again would mail everyone twice.
 */
export const emailBulk = declareJobType({
  type: "email.bulk",
  title: "Bulk email from a CSV",
  description:
    "Sends a message to every row of an uploaded CSV (an email column; other columns fill {{placeholders}}).",
  input: z.strictObject({
    recipients: z.uuid().meta({
      title: "Recipients (CSV)",
      description: "A CSV file with an email column, at most 1 MiB and 5,000 rows.",
      contentMediaType: "text/csv",
    }),
    subject: z.string().trim().min(1).max(200).meta({ title: "Subject", description: "May use {{placeholders}}." }),
    template: z
      .string()
      .trim()
      .min(1)
      .max(10_000)
      .meta({ title: "Message", description: "Plain text; {{name}} becomes the row's name column." }),
  }),
  result: "file",
  maxAttempts: 1,
  timeoutMs: 30 * 60_000,
  // Every placeholder must name a column of the file: a typo is a 422 now, not blank text in every message.
  checkInput(input, { uploads }) {
    const columns = uploads.recipients?.columns ?? [];
    return (["subject", "template"] as const).flatMap((field) =>
      placeholdersOf(input[field])
        .filter((name) => !columns.includes(name.toLowerCase()))
        .map((name) => ({
          path: [field],
          message: `{{${name}}} names no column of the file (its columns: ${columns.join(", ")}).`,
        })),
    );
  },
});
