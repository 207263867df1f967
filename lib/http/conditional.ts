import { problems } from "./problem";
// The longest a long poll may hold a request; a client asking for more gets this.
export const MAX_WAIT_S = 60;

/** The job version as a weak entity tag: every representation of one version shares it. */
export const versionEtag = (version: number) => `W/"${version}"`;

/**
 * Whether If-None-Match matches a version (RFC 9110 §13.1.2, weak
 * comparison): "*" matches any, a list matches when any of its tags names
 * the version; no header, or tags that are not ours, match nothing.
 */
export function ifNoneMatch(request: Request): (version: number) => boolean {
  const header = request.headers.get("if-none-match")?.trim();
  if (!header) return () => false;
  if (header === "*") return () => true;
  const versions = new Set(
    header.split(",").flatMap((tag) => {
      const match = tag.trim().match(/^(?:W\/)?"(\d{1,10})"$/);
      return match ? [Number(match[1])] : [];
    }),
  );
  return (version) => versions.has(version);
}

/** The longest a submit may wait for its job to finish (`Prefer: wait=N` on POST). */
export const MAX_SUBMIT_WAIT_S = 10;

/**
 * `Prefer: wait=N` on a submit: how long to hold the answer for the job to
 * finish, capped at MAX_SUBMIT_WAIT_S; 0 when absent. Unlike a read's, a
 * malformed wait (negative, fractional, not a number) is a 400 before
 * anything is written: a client that asked to wait and got a 202 instead
 * would not know why.
 */
export function submitWaitSeconds(request: Request): number {
  const prefer = request.headers.get("prefer") ?? "";
  for (const preference of prefer.split(/[,;]/)) {
    const [name, value] = preference.split("=").map((part) => part.trim().toLowerCase());
    if (name !== "wait") continue;
    if (!value || !/^\d{1,6}$/.test(value)) {
      throw problems.invalidHeader("Prefer", `wait=N takes whole seconds, 0 to ${MAX_SUBMIT_WAIT_S}.`);
    }
    return Math.min(Number(value), MAX_SUBMIT_WAIT_S);
  }
  return 0;
}

/** RFC 7240 `Prefer: wait=N`, capped at MAX_WAIT_S; 0 when absent. */
export function preferredWaitSeconds(request: Request): number {
  const prefer = request.headers.get("prefer") ?? "";
  for (const preference of prefer.split(",")) {
    const [name, value] = preference.split("=").map((part) => part.trim().toLowerCase());
    if (name === "wait" && value && /^\d{1,6}$/.test(value)) return Math.min(Number(value), MAX_WAIT_S);
  }
  return 0;
}
