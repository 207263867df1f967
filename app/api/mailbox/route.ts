import { desc, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { mailboxMessages } from "@/db/schema";
import { readConfig } from "@/lib/config";
import { methodNotAllowed, userRoute } from "@/lib/http/route";

/**
 * The local mailbox: the latest messages the caller's jobs sent while no
 * SMTP_URL is set, each with the raw message nodemailer built.
 */
export const GET = userRoute({ path: "/api/mailbox" }, async (_request, _params, caller) => {
  const messages = await getDb()
    .select()
    .from(mailboxMessages)
    .where(eq(mailboxMessages.ownerId, caller.id))
    .orderBy(desc(mailboxMessages.createdAt))
    .limit(100);
  return Response.json(
    {
      delivery: readConfig().SMTP_URL ? "smtp" : "mailbox",
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
});

export const POST = methodNotAllowed("GET");
export const PUT = methodNotAllowed("GET");
export const PATCH = methodNotAllowed("GET");
export const DELETE = methodNotAllowed("GET");
