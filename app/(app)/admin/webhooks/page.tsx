import { DeliveryLog } from "@/app/_components/webhooks/delivery-log";

/** Every user's latest webhook deliveries: a receiver in trouble shows up here before its owner asks. */
export default function AdminWebhooksPage() {
  return (
    <>
      <div className="page-head">
        <h1>Webhook deliveries</h1>
        <p className="muted">The latest 100, every user's, newest first. Only an endpoint's owner can redeliver.</p>
      </div>
      <section className="card table-card">
        <DeliveryLog url="/api/admin/webhook-deliveries" show="endpoint" showOwner canRedeliver={false} />
      </section>
    </>
  );
}
