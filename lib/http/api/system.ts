import { z } from "zod";
import { operation } from "../route";
import { json, problem } from "./common";

const readiness = {
  description:
    "For a load balancer: 200 while this process can serve (its database answers and it is not draining), else 503.",
  responses: {
    "200": json("Ready.", z.object({ status: z.literal("ok") })),
    "503": problem("The database is unreachable, or the process is stopping; Retry-After says when to look again."),
  },
};

export const health = operation({
  method: "GET",
  path: "/api/health",
  access: "public",
  doc: { summary: "Readiness (the same as /api/health/ready)", ...readiness },
});

export const ready = operation({
  method: "GET",
  path: "/api/health/ready",
  access: "public",
  doc: { summary: "Readiness", ...readiness },
});

export const live = operation({
  method: "GET",
  path: "/api/health/live",
  access: "public",
  doc: {
    summary: "Liveness: the process answers (no database involved)",
    responses: { "200": json("Alive.", z.object({ status: z.literal("alive") })) },
  },
});

export const openApiJson = operation({
  method: "GET",
  path: "/api/openapi.json",
  access: "public",
  doc: {
    summary: "This document",
    responses: { "200": json("OpenAPI 3.1.", z.record(z.string(), z.unknown())) },
  },
});

export const metrics = operation({
  method: "GET",
  path: "/api/metrics",
  access: "admin",
  doc: {
    summary: "Prometheus metrics",
    description: "Jobs by state and type, queue depth and age, durations, live workers, HTTP latencies.",
    responses: {
      "200": { description: "Prometheus text format.", content: { "text/plain": { schema: z.string() } } },
    },
  },
});
