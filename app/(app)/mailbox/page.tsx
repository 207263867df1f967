import { Mailbox } from "@/app/_components/mailbox";

export default function MailboxPage() {
  return (
    <>
      <div className="page-head">
        <h1>Mailbox</h1>
        <p className="muted">
          Without a mail server (<code>SMTP_URL</code> unset), the messages your jobs send are built as usual and kept
          here instead of being delivered.
        </p>
      </div>
      <Mailbox />
    </>
  );
}
