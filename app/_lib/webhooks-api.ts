"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { DeliveryView } from "@/lib/webhooks/deliveries";
import type { toEndpointView } from "@/lib/webhooks/endpoints";
import { getJson, problemOf } from "./api";

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

async function send<T>(url: string, method: string, body?: unknown): Promise<T | null> {
  const response = await fetch(url, {
    method,
    headers: { Accept: "application/json", ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw await problemOf(response);
  return response.headers.get("content-type")?.includes("json") ? ((await response.json()) as T) : null;
}

export function useEndpoints() {
  return useQuery({
    queryKey: webhookKeys.endpoints(),
    queryFn: async () => (await getJson<{ items: Endpoint[] }>("/api/webhooks")).body.items,
  });
}

export function useEndpoint(id: string) {
  return useQuery({
    queryKey: webhookKeys.endpoint(id),
    queryFn: async () => (await getJson<Endpoint>(`/api/webhooks/${id}`)).body,
  });
}

/** The latest deliveries at `url` (an endpoint's, a job's, or every user's for admins). */
export function useDeliveries(url: string) {
  return useQuery({
    queryKey: webhookKeys.deliveries(url),
    queryFn: async () => (await getJson<{ items: Delivery[] }>(url)).body.items,
    refetchInterval: LOG_REFRESH_MS,
  });
}

export const createEndpoint = (fields: Record<string, unknown>) =>
  send<{ endpoint: Endpoint; secret: string; ping: Ping }>("/api/webhooks", "POST", fields);

/** The actions on one endpoint; each refreshes what it changed. */
export function useEndpointActions(id: string) {
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: webhookKeys.endpoints() });
  const refreshLog = () => queryClient.invalidateQueries({ queryKey: ["webhook-deliveries"] });
  return {
    update: useMutation({
      mutationFn: (fields: Record<string, unknown>) => send(`/api/webhooks/${id}`, "PATCH", fields),
      onSuccess: refresh,
    }),
    remove: useMutation({ mutationFn: () => send(`/api/webhooks/${id}`, "DELETE"), onSuccess: refresh }),
    rotate: useMutation({
      mutationFn: async () => (await send<{ secret: string }>(`/api/webhooks/${id}/secret`, "POST"))?.secret ?? "",
    }),
    test: useMutation({ mutationFn: () => send(`/api/webhooks/${id}/test`, "POST"), onSuccess: refreshLog }),
  };
}

export function useRedeliver() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (delivery: Delivery) =>
      send(`/api/webhooks/${delivery.endpointId}/deliveries/${delivery.id}/redeliver`, "POST"),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["webhook-deliveries"] }),
  });
}
