// Any origin would do: only whether `next` stays on it matters.
const HOME = "http://accepted.invalid";

/**
 * Where to go after signing in: the path named by `?next=`, if it stays on
 * this site, else the dashboard. Read the way a browser reads it (the URL
 * parser turns "\" into "/" and drops tabs and newlines), so that "/\evil",
 * "/\t/evil" and "//evil" are all seen as the other sites they are.
 */
export function safeNext(next: string | undefined): string {
  if (!next?.startsWith("/")) return "/";
  try {
    const url = new URL(next, HOME);
    return url.origin === HOME ? `${url.pathname}${url.search}${url.hash}` : "/";
  } catch {
    return "/";
  }
}
