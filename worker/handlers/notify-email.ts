import { notifyEmail } from "@/lib/jobs/types/notify-email";
import { sendMail } from "@/lib/mail/send";
import { defineHandler } from "../handler";

/** Sends the one email; its effect is the result. */
export default defineHandler(notifyEmail, async ({ jobId, ownerId, input, db, progress }) => {
  await sendMail(db, { to: input.to, subject: input.subject, text: input.message }, { jobId, ownerId });
  progress(100, `Sent to ${input.to}`);
  return { kind: "none" };
});
