import { desc, eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { mailboxMessages } from "@/db/schema";

/**
 * The local mailbox: what jobs "sent" while no SMTP_URL is set, each with
 * the raw message nodemailer built. A user's latest `limit`, newest first.
 */
export async function latestMailboxMessages(db: Database, ownerId: string, limit: number) {
  const messages = await db
    .select()
    .from(mailboxMessages)
    .where(eq(mailboxMessages.ownerId, ownerId))
    .orderBy(desc(mailboxMessages.createdAt))
    .limit(limit);
  return messages.map((message) => ({
    id: message.id,
    jobId: message.jobId,
    messageId: message.messageId,
    from: message.from,
    to: message.to,
    subject: message.subject,
    text: message.text,
    raw: message.raw,
    createdAt: message.createdAt.toISOString(),
  }));
}
