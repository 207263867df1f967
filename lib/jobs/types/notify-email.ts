import { z } from "zod";
import { declareJobType } from "../define";

/** One email. Its effect is the result: success is reported on the status URI, with no result resource. */
export const notifyEmail = declareJobType({
  type: "notify.email",
  title: "Send a notification",
  description: "Sends one email. No result to download: the sent message is the point.",
  input: z.strictObject({
    to: z.email().max(320).meta({ title: "To", description: "The recipient's email address." }),
    subject: z.string().trim().min(1).max(200).meta({ title: "Subject" }),
    message: z.string().trim().min(1).max(10_000).meta({ title: "Message", description: "Plain text." }),
  }),
  result: "none",
  maxAttempts: 3,
  timeoutMs: 60_000,
});
