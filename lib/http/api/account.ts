import { z } from "zod";
import { operation } from "../route";
import { json, problem } from "./common";
import { ownerUsageSchema } from "./schemas";

export const uploadSchema = z
  .object({
    id: z.uuid().meta({ description: "What a job's input names (e.g. email.bulk's recipients)." }),
    filename: z.string(),
    columns: z.array(z.string()),
    rows: z.int(),
    size: z.int(),
  })
  .meta({ id: "Upload" });

export const createUpload = operation({
  method: "POST",
  path: "/api/uploads",
  access: "user",
  doc: {
    summary: "Upload a CSV for a job to read",
    requestBody: {
      content: {
        "multipart/form-data": {
          schema: z.object({ file: z.string().meta({ format: "binary", description: "The CSV, at most 1 MiB." }) }),
        },
      },
    },
    responses: {
      "201": json("Stored and checked: name its id in a job's input.", uploadSchema),
      "400": problem("A malformed multipart body."),
      "413": problem("Over 1 MiB."),
      "415": problem("Not multipart/form-data."),
      "422": problem("No file field, or a file that is not a usable CSV (UTF-8, an email column, 1–5,000 rows)."),
    },
  },
});

const mailboxMessageSchema = z.object({
  id: z.uuid(),
  jobId: z.uuid().nullable().meta({ description: "The job that sent it; null for a message from Accepted itself." }),
  messageId: z.string(),
  from: z.string(),
  to: z.string(),
  subject: z.string(),
  text: z.string(),
  raw: z.string().meta({ description: "The RFC 5322 message as it would have been sent." }),
  createdAt: z.iso.datetime({ offset: true }),
});

export const readMailbox = operation({
  method: "GET",
  path: "/api/mailbox",
  access: "user",
  doc: {
    summary: "The local mailbox: messages your jobs sent while no SMTP server is configured",
    responses: {
      "200": json(
        "The latest 100 messages, newest first.",
        z
          .object({
            delivery: z.enum(["smtp", "mailbox"]).meta({ description: "Where mail goes now." }),
            items: z.array(mailboxMessageSchema),
          })
          .meta({ id: "Mailbox" }),
      ),
    },
  },
});

export const readUsage = operation({
  method: "GET",
  path: "/api/account/usage",
  access: "user",
  doc: {
    summary: "How many unfinished jobs you have, and the most you may have at once",
    responses: { "200": json("Your unfinished jobs and your cap.", ownerUsageSchema) },
  },
});
