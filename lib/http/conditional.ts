// The longest a long poll may hold a request; a client asking for more gets this.
export const MAX_WAIT_S = 60;

/** The job version as a weak entity tag: every representation of one version shares it. */
export const versionEtag = (version: number) => `W/"${version}"`;

/** The version named by If-None-Match, when it names exactly one of our tags. */
export function ifNoneMatchVersion(request: Request): number | null {
  const match = request.headers
    .get("if-none-match")
    ?.trim()
    .match(/^(?:W\/)?"(\d{1,10})"$/);
  return match ? Number(match[1]) : null;
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
