import nodemailer, { type Transporter } from "nodemailer";
import type { Database } from "@/db/client";
import { mailboxMessages } from "@/db/schema";
import { config } from "@/lib/config";

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
}

/** Which job sends the message (null: Accepted itself), so the local mailbox can show it to its owner. */
export interface MailSender {
  jobId: string | null;
  ownerId: string | null;
}

const holder = globalThis as typeof globalThis & { __acceptedSmtp?: Transporter };

function smtpTransport(url: string): Transporter {
  // One transporter per process, reused across jobs and messages.
  holder.__acceptedSmtp ??= nodemailer.createTransport(url);
  return holder.__acceptedSmtp;
}

// Builds the message exactly as SMTP would carry it, without sending it.
const buildOnly = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });

/**
 * Sends one message with nodemailer: through SMTP_URL when it is set;
 * otherwise into the local mailbox (mailbox_messages), so a fresh install
 * with no mail server still shows what would have been sent.
 */
export async function sendMail(db: Database, mail: OutgoingMail, sender: MailSender): Promise<string> {
  const { SMTP_URL, MAIL_FROM } = config();
  const message = { from: MAIL_FROM, to: mail.to, subject: mail.subject, text: mail.text };
  if (SMTP_URL) {
    const info = await smtpTransport(SMTP_URL).sendMail(message);
    return info.messageId;
  }
  const built = await buildOnly.sendMail(message);
  await db.insert(mailboxMessages).values({
    jobId: sender.jobId,
    ownerId: sender.ownerId,
    messageId: built.messageId,
    from: MAIL_FROM,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    raw: (built.message as Buffer).toString("utf8"),
  });
  return built.messageId;
}
