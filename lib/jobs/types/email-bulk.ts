import { z } from "zod";
import { declareJobType } from "../define";

/**
 * Sends one message per row of an uploaded CSV and reports each row. One
 * attempt only: running it again would mail everyone twice.
 */
export const emailBulk = declareJobType({
  type: "email.bulk",
  title: "Bulk email from a CSV",
  description:
    "Sends a message to every row of an uploaded CSV (an email column; other columns fill {{placeholders}}).",
  input: z.object({
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
});
