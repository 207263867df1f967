import http from "node:http";
import https from "node:https";
import { Webhook } from "standardwebhooks";
import { connectionRefusal, type DestinationPolicy, guardedLookup } from "./destination";

/** One message as the Standard Webhooks specification sends it. */
export interface OutgoingMessage {
  /** webhook-id: the same on every attempt, so receivers can drop repeats. */
  id: string;
  /** webhook-timestamp: when this attempt is made (receivers refuse old ones as replays). */
  timestamp: Date;
  /** The JSON body, as sent and signed. */
  body: string;
}

/** What one attempt came to. */
export interface AttemptOutcome {
  /** A 2xx answer. */
  ok: boolean;
  /** The receiver's HTTP status; null when none came. */
  status: number | null;
  durationMs: number;
  /** The start of the response body. */
  responseStart: string | null;
  /** Why it did not succeed, in a few words. */
  error: string | null;
}

/** How long a receiver has to answer, from connecting to the end of its response. */
export const ATTEMPT_TIMEOUT_MS = 10_000;
/** How much of a response is read: enough to show in the delivery log. */
export const RESPONSE_LIMIT_BYTES = 1_024;

const USER_AGENT = "Accepted-Webhooks/1.0";

/** The three signature headers (plus the body's type) for `message`, signed with `secret` (whsec_…). */
export function signedHeaders(message: OutgoingMessage, secret: string): Record<string, string> {
  return {
    "content-type": "application/json",
    "user-agent": USER_AGENT,
    "webhook-id": message.id,
    "webhook-timestamp": String(Math.floor(message.timestamp.getTime() / 1000)),
    "webhook-signature": new Webhook(secret).sign(message.id, message.timestamp, message.body),
  };
}

/**
 * POSTs one signed message to `url`, once. Redirects are not followed (a 3xx
 * is a failure that names where it pointed), at most RESPONSE_LIMIT_BYTES of
 * the answer is read, and the whole exchange has ATTEMPT_TIMEOUT_MS. The
 * connection goes only to an address the policy allows, checked as it is
 * made. Never throws: every way it can end is an outcome.
 */
export function sendMessage(
  url: URL,
  message: OutgoingMessage,
  secret: string,
  policy: DestinationPolicy,
  /** More headers to send (traceparent, so the receiver's own trace joins the job's). */
  extraHeaders: Record<string, string> = {},
): Promise<AttemptOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const refusal = connectionRefusal(url, policy);
  if (refusal) {
    return Promise.resolve({ ok: false, status: null, durationMs: 0, responseStart: null, error: refusal });
  }
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: Omit<AttemptOutcome, "durationMs">) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      resolve({ ...outcome, durationMs: elapsed() });
    };
    const transport = url.protocol === "https:" ? https : http;
    const request = transport.request(url, {
      method: "POST",
      headers: { ...extraHeaders, ...signedHeaders(message, secret) },
      lookup: guardedLookup(url, policy) as unknown as http.RequestOptions["lookup"],
      // A connection per attempt: no socket outlives the check of its address.
      agent: false,
    });
    const timer = setTimeout(
      () =>
        finish({
          ok: false,
          status: null,
          responseStart: null,
          error: `no answer within ${ATTEMPT_TIMEOUT_MS / 1000} s`,
        }),
      ATTEMPT_TIMEOUT_MS,
    );
    request.on("error", (error: NodeJS.ErrnoException) =>
      finish({
        ok: false,
        status: null,
        responseStart: null,
        error: error.message || error.code || "connection failed",
      }),
    );
    request.on("response", (response) => {
      const status = response.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let read = 0;
      const done = () => {
        // Whatever the receiver sent, as text PostgreSQL can store (a NUL cannot be).
        const text = Buffer.concat(chunks)
          .subarray(0, RESPONSE_LIMIT_BYTES)
          .toString("utf8")
          .replaceAll("\0", "\ufffd");
        const responseStart = text || null;
        const ok = status >= 200 && status < 300;
        const location = response.headers.location;
        const error = ok
          ? null
          : status >= 300 && status < 400
            ? `a redirect${location ? ` to ${location.slice(0, 300)}` : ""}, not followed`
            : `answered ${status}`;
        finish({ ok, status, responseStart, error });
      };
      response.on("data", (chunk: Buffer) => {
        chunks.push(chunk);
        read += chunk.length;
        if (read >= RESPONSE_LIMIT_BYTES) done();
      });
      response.on("end", done);
      response.on("error", done);
    });
    request.end(message.body);
  });
}
