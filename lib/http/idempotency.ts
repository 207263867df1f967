import { problems } from "./problem";

// draft-ietf-httpapi-idempotency-key-header: the value is a Structured Field
// string ("…"); a bare token is accepted too, as many clients send one.
// Quoted at both ends or at neither: `"abc` is malformed, not a key.
const KEY = /^(?:"([\x21\x23-\x7e]{1,255})"|([\x21\x23-\x7e]{1,255}))$/;

/** The request's Idempotency-Key, or undefined; a malformed one is a 400. */
export function idempotencyKeyOf(request: Request): string | undefined {
  const raw = request.headers.get("idempotency-key");
  if (raw === null) return undefined;
  const match = raw.trim().match(KEY);
  const key = match?.[1] ?? match?.[2];
  if (!key) {
    throw problems.invalidHeader("Idempotency-Key", "Send 1 to 255 printable ASCII characters, as a quoted string.");
  }
  return key;
}
