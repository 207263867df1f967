"use client";

import { useAcceptedClient } from "@accepted/client/react";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";

interface MailboxMessage {
  id: string;
  jobId: string | null;
  to: string;
  from: string;
  subject: string;
  text: string;
  raw: string;
  createdAt: string;
}

/** The messages the user's jobs sent to the local mailbox, newest first; one opens at a time. */
export function Mailbox() {
  const [openId, setOpenId] = useState<string | null>(null);
  const [showRaw, setShowRaw] = useState(false);
  const client = useAcceptedClient();
  const mailbox = useQuery({
    queryKey: ["mailbox"],
    queryFn: ({ signal }) =>
      client.request<{ delivery: "smtp" | "mailbox"; items: MailboxMessage[] }>("/api/mailbox", { signal }),
    refetchInterval: 3_000,
  });
  if (mailbox.isPending) return <p className="muted">Loading…</p>;
  if (mailbox.isError) {
    return (
      <p className="form-error" role="alert">
        {mailbox.error.message}
      </p>
    );
  }
  const { delivery, items } = mailbox.data;
  const open = items.find((message) => message.id === openId) ?? items[0];
  return (
    <div className="mailbox">
      {delivery === "smtp" ? (
        <p className="muted">Mail is being delivered through SMTP; new messages are not kept here.</p>
      ) : null}
      {items.length === 0 ? (
        <section className="card">
          <p className="muted">No messages yet. Start a "Send a notification" or "Bulk email" job.</p>
        </section>
      ) : (
        <div className="mailbox-panes">
          <ul className="card message-list" aria-label="Messages">
            {items.map((message) => (
              <li key={message.id}>
                <button
                  type="button"
                  className="message-row"
                  aria-current={message.id === open?.id ? "true" : undefined}
                  data-testid="mailbox-message"
                  onClick={() => setOpenId(message.id)}
                >
                  <strong>{message.subject}</strong>
                  <span className="muted small">
                    to {message.to} · {new Date(message.createdAt).toLocaleString()}
                  </span>
                </button>
              </li>
            ))}
          </ul>
          {open ? (
            <article className="card message-view" aria-label="Message">
              <h2>{open.subject}</h2>
              <dl className="facts">
                <dt>From</dt>
                <dd>{open.from}</dd>
                <dt>To</dt>
                <dd data-testid="message-to">{open.to}</dd>
                <dt>Sent by</dt>
                <dd>
                  {open.jobId ? <Link href={`/jobs/${open.jobId}`}>job {open.jobId.slice(0, 8)}</Link> : "Accepted"}
                </dd>
              </dl>
              <pre className="message-body" data-testid="message-body">
                {open.text}
              </pre>
              <button type="button" className="button button-small button-quiet" onClick={() => setShowRaw(!showRaw)}>
                {showRaw ? "Hide" : "Show"} the raw message
              </button>
              {showRaw ? <pre className="json">{open.raw}</pre> : null}
            </article>
          ) : null}
        </div>
      )}
    </div>
  );
}
