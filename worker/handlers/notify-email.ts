import { notifyEmail } from "@/lib/jobs/types/notify-email";
import { sendMail } from "@/lib/mail/send";
import { defineHandler } from "../handler";

/** Sends the one email; its effect is the result. */
export default defineHandler(notifyEmail, async ({ jobId, ownerId, input, db, progress, logger }) => {
  logger.info({ to: input.to, subject: input.subject }, `Sending "${input.subject}" to ${input.to}`);
  await sendMail(db, { to: input.to, subject: input.subject, text: input.message }, { jobId, ownerId });
  logger.info({ to: input.to }, "Sent");
  progress(100, `Sent to ${input.to}`);
  return { kind: "none" };
});
