import { desc, eq } from "drizzle-orm";
import { mailboxMessages } from "@/db/schema";
import { config } from "@/lib/config";
import { getDb } from "@/lib/db";
import { account } from "@/lib/http/api";
import { apiRoute, handle } from "@/lib/http/route";

/**
 * The local mailbox: the latest messages the caller's jobs sent while no
 * SMTP_URL is set, each with the raw message nodemailer built.
 */
export const { GET, POST, PUT, PATCH, DELETE } = apiRoute(
  handle(account.readMailbox, async ({ caller }) => {
    const messages = await getDb()
      .select()
      .from(mailboxMessages)
      .where(eq(mailboxMessages.ownerId, caller.id))
      .orderBy(desc(mailboxMessages.createdAt))
      .limit(100);
    return Response.json(
      {
        delivery: config().SMTP_URL ? "smtp" : "mailbox",
        items: messages.map((message) => ({
          id: message.id,
          jobId: message.jobId,
          messageId: message.messageId,
          from: message.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          raw: message.raw,
          createdAt: message.createdAt.toISOString(),
        })),
      },
      { headers: { "Cache-Control": "no-store" } },
    );
  }),
);
