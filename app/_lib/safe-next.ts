// Any origin would do: only whether `next` stays on it matters.
const HOME = "http://accepted.invalid";

/**
 * Where to go after signing in: the path named by `?next=`, if it stays on
 * this site, else the dashboard. Decided on the URL as a browser resolves it
 * (the URL parser turns "\" into "/", drops tabs and newlines, and resolves
 * dot segments), so "/\evil", "/\t/evil" and "//evil" are the other sites
 * they are; and so is "/.//evil", whose resolved path "//evil" is
 * same-origin here but names another host once a browser is sent to it.
 */
export function safeNext(next: string | undefined): string {
  if (!next?.startsWith("/")) return "/";
  try {
    const url = new URL(next, HOME);
    if (url.origin !== HOME || /^\/[/\\]/.test(url.pathname)) return "/";
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return "/";
  }
}
