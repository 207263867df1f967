"use client";

import type { AcceptedClient } from "@accepted/client";
import { useAcceptedClient } from "@accepted/client/react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { DeliveryView } from "@/lib/webhooks/deliveries";
import type { toEndpointView } from "@/lib/webhooks/endpoints";
import { readAgain } from "./read-again";

/** The webhook settings and delivery log as pages use them (lib/webhooks/ behind /api/webhooks). */

export type Endpoint = ReturnType<typeof toEndpointView>;
export type Delivery = DeliveryView;
export interface Ping {
  ok: boolean;
  status: number | null;
  durationMs: number;
  error: string | null;
}

export const webhookKeys = {
  endpoints: () => ["webhooks"] as const,
  endpoint: (id: string) => ["webhooks", id] as const,
  deliveries: (scope: string) => ["webhook-deliveries", scope] as const,
};

// A delivery log changes as retries happen: refreshed while the page is open.
const LOG_REFRESH_MS = 2_000;

export function useEndpoints() {
  const client = useAcceptedClient();
  return useQuery({
    queryKey: webhookKeys.endpoints(),
    queryFn: async ({ signal }) => (await client.request<{ items: Endpoint[] }>("/api/webhooks", { signal })).items,
  });
}

export function useEndpoint(id: string) {
  const client = useAcceptedClient();
  return useQuery({
    queryKey: webhookKeys.endpoint(id),
    queryFn: ({ signal }) => client.request<Endpoint>(`/api/webhooks/${id}`, { signal }),
  });
}

/** The latest deliveries at `url` (an endpoint's, a job's, or every user's for admins). */
export function useDeliveries(url: string) {
  const client = useAcceptedClient();
  return useQuery({
    queryKey: webhookKeys.deliveries(url),
    queryFn: async ({ signal }) => (await client.request<{ items: Delivery[] }>(url, { signal })).items,
    refetchInterval: LOG_REFRESH_MS,
  });
}

export const createEndpoint = (client: AcceptedClient, fields: Record<string, unknown>) =>
  client.request<{ endpoint: Endpoint; secret: string; ping: Ping }>("/api/webhooks", { method: "POST", body: fields });

/** The actions on one endpoint; each refreshes what it changed. */
export function useEndpointActions(id: string) {
  const client = useAcceptedClient();
  const queryClient = useQueryClient();
  const refresh = () => readAgain(queryClient, webhookKeys.endpoints());
  const refreshLog = () => queryClient.invalidateQueries({ queryKey: ["webhook-deliveries"] });
  return {
    update: useMutation({
      mutationFn: (fields: Record<string, unknown>) =>
        client.request(`/api/webhooks/${id}`, { method: "PATCH", body: fields }),
      onSuccess: refresh,
    }),
    remove: useMutation({
      mutationFn: () => client.request(`/api/webhooks/${id}`, { method: "DELETE" }),
      onSuccess: refresh,
    }),
    rotate: useMutation({
      mutationFn: async () =>
        (await client.request<{ secret: string }>(`/api/webhooks/${id}/secret`, { method: "POST" })).secret,
    }),
    test: useMutation({
      mutationFn: () => client.request(`/api/webhooks/${id}/test`, { method: "POST" }),
      onSuccess: refreshLog,
    }),
  };
}

export function useRedeliver() {
  const client = useAcceptedClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (delivery: Delivery) =>
      client.request(`/api/webhooks/${delivery.endpointId}/deliveries/${delivery.id}/redeliver`, { method: "POST" }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["webhook-deliveries"] }),
  });
}
