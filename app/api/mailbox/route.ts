import { config } from "@/lib/config";
import { getDb } from "@/lib/db";
import { account } from "@/lib/http/api";
import { apiRoute, handle } from "@/lib/http/route";
import { latestMailboxMessages } from "@/lib/mail/mailbox";

/** The local mailbox: the latest messages the caller's jobs sent while no SMTP_URL is set. */
export const { GET, POST, PUT, PATCH, DELETE } = apiRoute(
  handle(account.readMailbox, async ({ caller }) =>
    Response.json(
      {
        delivery: config().SMTP_URL ? "smtp" : "mailbox",
        items: await latestMailboxMessages(getDb(), caller.id, 100),
      },
      { headers: { "Cache-Control": "no-store" } },
    ),
  ),
);
