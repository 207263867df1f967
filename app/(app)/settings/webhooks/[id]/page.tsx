import { EndpointDetail } from "@/app/_components/webhooks/endpoint-detail";

export default async function WebhookEndpointPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <EndpointDetail id={id} />;
}
