import { EndpointManager } from "@/app/_components/webhooks/endpoint-manager";

export default function WebhooksPage() {
  return (
    <>
      <div className="page-head">
        <h1>Webhooks</h1>
        <p className="muted">
          Accepted POSTs your jobs' events to your endpoints, signed as the{" "}
          <a href="https://www.standardwebhooks.com/">Standard Webhooks</a> specification says (verify with its
          libraries and your endpoint's secret). A receiver that does not answer 2xx is retried for about a day, with
          the same <code>webhook-id</code> each time; an endpoint failing for three days is disabled, and you are told.
        </p>
      </div>
      <EndpointManager />
    </>
  );
}
