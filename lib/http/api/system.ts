import { z } from "zod";
import { operation } from "../route";
import { json, unavailable } from "./common";

export const health = operation({
  method: "GET",
  path: "/api/health",
  access: "public",
  doc: {
    summary: "Ready when the database answers",
    responses: { "200": json("Up.", z.object({ status: z.literal("ok") })), "503": unavailable },
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
