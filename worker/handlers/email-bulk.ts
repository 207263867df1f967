import { z } from "zod";
import { toCsv } from "@/lib/csv-writer";
import { PermanentJobFailure } from "@/lib/jobs/define";
import { emailBulk, renderTemplate } from "@/lib/jobs/types/email-bulk";
import { logger as processLogger } from "@/lib/logger";
import { sendMail } from "@/lib/mail/send";
import { checkRecipientsCsv } from "@/lib/uploads/csv-reader";
import { findUpload } from "@/lib/uploads/store";
import { defineHandler } from "../handler";

const emailAddress = z.email();

/**
 * Sends one message per row of an uploaded CSV. Each row is checked (an email
 * address, not a repeat), sent or skipped, and reported; the result is the
 * report as a CSV. One attempt only: running it again would mail everyone twice.
 */
export default defineHandler(emailBulk, async ({ jobId, ownerId, input, db, progress, signal, logger }) => {
  const upload = await findUpload(db, input.recipients, ownerId);
  if (!upload) throw new PermanentJobFailure("The recipients file no longer exists.");
  const { rows } = await checkRecipientsCsv(upload.content);
  logger.info({ rows: rows.length, file: upload.filename }, `${rows.length} rows in ${upload.filename}`);

  const report: string[][] = [["line", "email", "status", "detail"]];
  const seen = new Set<string>();
  const counts = { sent: 0, skipped: 0, failed: 0 };
  const summary = () => `${counts.sent} sent, ${counts.skipped} skipped, ${counts.failed} failed`;
  for (const [index, row] of rows.entries()) {
    signal.throwIfAborted();
    // Line 1 of the file is its header.
    const line = String(index + 2);
    const address = emailAddress.safeParse(row.email);
    if (!address.success) {
      counts.skipped++;
      logger.info({ line }, `Line ${line} skipped: "${row.email ?? ""}" is not an email address`);
      report.push([line, row.email ?? "", "skipped", "not an email address"]);
    } else if (seen.has(address.data.toLowerCase())) {
      counts.skipped++;
      logger.info({ line }, `Line ${line} skipped: already sent to ${address.data}`);
      report.push([line, address.data, "skipped", "already sent to this address"]);
    } else {
      seen.add(address.data.toLowerCase());
      try {
        const mail = {
          to: address.data,
          subject: renderTemplate(input.subject, row),
          text: renderTemplate(input.template, row),
        };
        await sendMail(db, mail, { jobId, ownerId });
        counts.sent++;
        logger.debug({ line }, `Line ${line} sent to ${address.data}`);
        report.push([line, address.data, "sent", ""]);
      } catch (error) {
        counts.failed++;
        // The report and the job's log are the user's: a plain reason. What went
        // wrong (a query, internal ids) is for the process's log.
        processLogger.warn({ err: error, jobId, line }, "a bulk email message could not be sent");
        logger.warn({ line }, `Line ${line}: the message to ${address.data} could not be sent`);
        report.push([line, address.data, "failed", "The message could not be sent."]);
      }
    }
    progress(((index + 1) / rows.length) * 100, `Row ${index + 1} of ${rows.length}: ${summary()}`);
  }
  progress(100, summary());
  logger.info(counts, `Done: ${summary()}`);
  return {
    kind: "file",
    filename: "email-report.csv",
    contentType: "text/csv; charset=utf-8",
    content: Buffer.from(toCsv(report)),
  };
});
