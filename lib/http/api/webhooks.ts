import { z } from "zod";
import { webhookDeliveryStates, webhookEvents } from "@/db/schema";
import { deliveryViewSchema } from "@/lib/webhooks/deliveries";
import { createEndpointRequest, updateEndpointRequest } from "@/lib/webhooks/endpoints";
import { operation } from "../route";
import { badJsonBody, json, problem } from "./common";
import { jobIdParams } from "./schemas";

/** Webhook endpoints and their delivery log (lib/webhooks/). */

const endpointParams = z.object({ id: z.uuid() });
const deliveryParams = z.object({ id: z.uuid(), deliveryId: z.uuid() });

const endpointSchema = z
  .object({
    id: z.uuid(),
    url: z.string(),
    description: z.string(),
    events: z.array(z.enum(webhookEvents)),
    jobTypes: z.array(z.string()).nullable(),
    enabled: z.boolean(),
    failingSince: z.iso.datetime({ offset: true }).nullable().meta({
      description: "Since when every attempt has failed; three days of it disable the endpoint.",
    }),
    disabledReason: z.string().nullable(),
    createdAt: z.iso.datetime({ offset: true }),
    updatedAt: z.iso.datetime({ offset: true }),
    links: z.object({ self: z.string(), deliveries: z.string() }),
  })
  .meta({ id: "WebhookEndpoint" });

const pingSchema = z
  .object({
    ok: z.boolean(),
    status: z.int().nullable(),
    durationMs: z.int(),
    error: z.string().nullable(),
  })
  .meta({ id: "WebhookPing", description: "How the URL answered the signed webhook.ping sent when it was saved." });

const secretField = z.string().meta({ description: "The signing secret (whsec_…): shown now and never again." });

const deliveryList = z.object({ items: z.array(deliveryViewSchema) });
const notFound = problem("No such endpoint of yours.");

export const listEndpoints = operation({
  method: "GET",
  path: "/api/webhooks",
  access: "user",
  doc: {
    summary: "Your webhook endpoints",
    tags: ["webhooks"],
    responses: { "200": json("Newest first.", z.object({ items: z.array(endpointSchema) })) },
  },
});

export const createEndpoint = operation({
  method: "POST",
  path: "/api/webhooks",
  access: "user",
  doc: {
    summary: "Add a webhook endpoint",
    description:
      "The URL is checked (https, and no private, loopback, link-local or metadata address unless the operator allows them) and sent a signed webhook.ping, which must not answer with a redirect.",
    tags: ["webhooks"],
    requestBody: { content: { "application/json": { schema: createEndpointRequest } } },
    responses: {
      "201": json(
        "Saved. Keep the secret: it is not shown again.",
        z.object({ endpoint: endpointSchema, secret: secretField, ping: pingSchema }),
      ),
      ...badJsonBody,
      "422": problem(
        "A bad field, an unknown job type, too many endpoints, or a URL refused (/problems/webhook-url-refused).",
      ),
    },
  },
});

export const getEndpoint = operation({
  method: "GET",
  path: "/api/webhooks/{id}",
  access: "user",
  params: endpointParams,
  doc: {
    summary: "One webhook endpoint",
    tags: ["webhooks"],
    responses: { "200": json("The endpoint (without its secret).", endpointSchema), "404": notFound },
  },
});

export const updateEndpoint = operation({
  method: "PATCH",
  path: "/api/webhooks/{id}",
  access: "user",
  params: endpointParams,
  doc: {
    summary: "Change a webhook endpoint: URL, events, job types, enabled",
    description: "A new URL is checked as at creation. Enabling a disabled endpoint sends what waited for it.",
    tags: ["webhooks"],
    requestBody: { content: { "application/json": { schema: updateEndpointRequest } } },
    responses: {
      "200": json("The endpoint as it now is.", z.object({ endpoint: endpointSchema, ping: pingSchema.nullable() })),
      ...badJsonBody,
      "404": notFound,
      "422": problem("A bad field, an unknown job type, or a URL refused."),
    },
  },
});

export const deleteEndpoint = operation({
  method: "DELETE",
  path: "/api/webhooks/{id}",
  access: "user",
  params: endpointParams,
  doc: {
    summary: "Delete a webhook endpoint and its delivery log",
    tags: ["webhooks"],
    responses: { "204": { description: "Deleted." }, "404": notFound },
  },
});

export const rotateSecret = operation({
  method: "POST",
  path: "/api/webhooks/{id}/secret",
  access: "user",
  params: endpointParams,
  doc: {
    summary: "Rotate the signing secret",
    description: "Every delivery from now on, retries included, is signed with the new secret only.",
    tags: ["webhooks"],
    responses: { "200": json("The new secret, shown once.", z.object({ secret: secretField })), "404": notFound },
  },
});

export const sendTestEvent = operation({
  method: "POST",
  path: "/api/webhooks/{id}/test",
  access: "user",
  params: endpointParams,
  doc: {
    summary: "Send a webhook.test event to the endpoint",
    tags: ["webhooks"],
    responses: {
      "202": json("Queued; it appears in the delivery log.", z.object({ deliveryId: z.uuid() })),
      "404": notFound,
    },
  },
});

export const listEndpointDeliveries = operation({
  method: "GET",
  path: "/api/webhooks/{id}/deliveries",
  access: "user",
  params: endpointParams,
  doc: {
    summary: "The endpoint's latest 50 deliveries, each with its attempts",
    tags: ["webhooks"],
    responses: { "200": json("Newest first.", deliveryList), "404": notFound },
  },
});

export const redeliver = operation({
  method: "POST",
  path: "/api/webhooks/{id}/deliveries/{deliveryId}/redeliver",
  access: "user",
  params: deliveryParams,
  doc: {
    summary: "Send a delivery again: the same message, with the same webhook-id",
    tags: ["webhooks"],
    responses: { "202": { description: "Queued." }, "404": problem("No such delivery of yours.") },
  },
});

export const listJobDeliveries = operation({
  method: "GET",
  path: "/api/jobs/{id}/webhook-deliveries",
  access: "user",
  params: jobIdParams,
  doc: {
    summary: "The webhook deliveries of your job's events",
    tags: ["webhooks"],
    responses: { "200": json("Newest first.", deliveryList), "404": problem("No such job of yours.") },
  },
});

export const adminListDeliveries = operation({
  method: "GET",
  path: "/api/admin/webhook-deliveries",
  access: "admin",
  query: z.strictObject({ state: z.enum(webhookDeliveryStates).optional() }),
  doc: {
    summary: "Every user's latest 100 webhook deliveries",
    tags: ["admin", "webhooks"],
    responses: { "200": json("Newest first.", deliveryList), "422": problem("A bad state.") },
  },
});
