import {
  type Attributes,
  type Context,
  context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from "@opentelemetry/api";

/**
 * OpenTelemetry traces, when an OTLP endpoint is configured
 * (OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, and
 * OTEL_SDK_DISABLED is not "true"). The SDK then takes every standard
 * variable as it documents them: OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES,
 * OTEL_EXPORTER_OTLP_PROTOCOL (http/protobuf by default, http/json, grpc),
 * OTEL_EXPORTER_OTLP_HEADERS, OTEL_TRACES_SAMPLER and its argument,
 * OTEL_BSP_*. Unset, the SDK is never loaded: every call here is
 * @opentelemetry/api's no-op, and a job costs nothing more.
 */
export function tracingConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  const endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  return Boolean(endpoint) && env.OTEL_SDK_DISABLED !== "true";
}

/** Starts the SDK for this process (`serviceName` unless OTEL_SERVICE_NAME says otherwise); null when not configured. */
export async function startTracing(serviceName: string): Promise<{ shutdown(): Promise<void> } | null> {
  if (!tracingConfigured()) return null;
  const { NodeSDK } = await import("@opentelemetry/sdk-node");
  process.env.OTEL_SERVICE_NAME ??= serviceName;
  // No automatic instrumentations: the spans that say something (a request, an attempt and its writes, a webhook
  // delivery) are made where they happen, and graphile-worker's polling stays out of the traces.
  const sdk = new NodeSDK({ instrumentations: [] });
  sdk.start();
  return { shutdown: () => sdk.shutdown() };
}

const tracer = () => trace.getTracer("accepted");

/** The W3C traceparent of the active span, or null (tracing off, or nothing sampled). */
export function currentTraceparent(): string | null {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ?? null;
}

/** The context a stored or received traceparent names (the root context without one). */
export function contextOf(headers: Record<string, string | string[] | undefined> | null): Context {
  return headers ? propagation.extract(ROOT_CONTEXT, headers) : ROOT_CONTEXT;
}

/** The trace id a traceparent carries (00-<trace id>-<span id>-<flags>). */
export const traceIdOf = (traceparent: string | null): string | null =>
  traceparent ? (/^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/.exec(traceparent)?.[1] ?? null) : null;

/** The active span's trace context as headers to send on (traceparent, tracestate), empty without one. */
export function traceHeaders(): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier;
}

export { SpanKind };

/**
 * Runs `work` inside a new span, child of `parent` (the active context by
 * default): it is active while `work` runs, records an error it throws,
 * and ends when it settles.
 */
export function inSpan<T>(
  name: string,
  options: { kind?: SpanKind; attributes?: Attributes; parent?: Context },
  work: (span: Span) => Promise<T>,
): Promise<T> {
  return tracer().startActiveSpan(
    name,
    { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes },
    options.parent ?? context.active(),
    async (span) => {
      try {
        return await work(span);
      } catch (error) {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/** Starts a span that the caller ends (a request whose end is an event), child of `parent`. */
export function startSpan(name: string, kind: SpanKind, parent: Context, attributes: Attributes = {}): Span {
  return tracer().startSpan(name, { kind, attributes }, parent);
}

/** Runs `work` with `span` active. */
export const withSpan = <T>(span: Span, parent: Context, work: () => T): T =>
  context.with(trace.setSpan(parent, span), work);
