import type { IncomingMessage } from "node:http";
import { pathnameOf } from "./node-request";

/**
 * Whether the request's path (not its query) fails to decode: a stray "%",
 * "%ff", an overlong ("%c0%80") or surrogate ("%ED%A0%80") UTF-8 sequence.
 * Next.js decodes a dynamic segment with decodeURIComponent and answers a
 * bare 500 when it throws, so our server refuses such a path first, for
 * every route and method, with a problem of its own.
 */
export function hasMalformedPath(incoming: IncomingMessage): boolean {
  const path = pathnameOf(incoming);
  if (!path.includes("%")) return false;
  try {
    decodeURIComponent(path);
    return false;
  } catch {
    return true;
  }
}
