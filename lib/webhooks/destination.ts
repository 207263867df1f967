import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { promisify } from "node:util";
import ipaddr from "ipaddr.js";
import { config } from "@/lib/config";
import { WebhookUrlRefused } from "@/lib/errors";

/**
 * Where webhooks may go. A webhook URL is a request the server makes on a
 * user's say-so, so it must not reach what only the server can reach (its
 * loopback, the private network, the cloud's metadata service). Checked when
 * an endpoint is saved, and again at every delivery by the connection's own
 * address lookup (DNS can change in between, or answer differently twice).
 */

export interface DestinationPolicy {
  /** WEBHOOK_ALLOW_PRIVATE_NETWORKS: anything goes, plain http included. */
  allowPrivate: boolean;
  /** WEBHOOK_ALLOWED_HOSTS: hosts (host or host:port) allowed over http and on private addresses. */
  allowedHosts: string[];
}

export function destinationPolicy(): DestinationPolicy {
  const { WEBHOOK_ALLOW_PRIVATE_NETWORKS, WEBHOOK_ALLOWED_HOSTS } = config();
  return { allowPrivate: WEBHOOK_ALLOW_PRIVATE_NETWORKS, allowedHosts: WEBHOOK_ALLOWED_HOSTS };
}

// ipaddr.js's names for the ranges, as a person would say them.
const rangeNames: Record<string, string> = {
  unspecified: "an unspecified address",
  broadcast: "a broadcast address",
  multicast: "a multicast address",
  linkLocal: "a link-local address (where cloud metadata services live)",
  loopback: "a loopback address",
  private: "a private network address",
  uniqueLocal: "a private network address",
  carrierGradeNat: "a carrier-grade NAT address",
};

/**
 * Why `address` is no place for a webhook, or null for an ordinary public
 * (unicast) address. IPv4 written as IPv6 (::ffff:127.0.0.1) is judged as
 * the IPv4 address it is; every special range is refused, not only the
 * private ones (6to4, Teredo and NAT64 can carry a private address inside).
 */
export function addressRefusal(address: string): string | null {
  if (!ipaddr.isValid(address)) return "not an IP address";
  const parsed = ipaddr.process(address);
  const range = parsed.range();
  if (range !== "unicast") return rangeNames[range] ?? `a reserved address (${range})`;
  // Public IPv6 is 2000::/3 (RFC 4291); outside it ipaddr.js calls some forms
  // unicast that carry an IPv4 address inside, like the IPv4-compatible
  // ::7f00:1 (::127.0.0.1, deprecated), which some stacks still route.
  if (parsed.kind() === "ipv6" && !(parsed as ipaddr.IPv6).match(GLOBAL_UNICAST_V6)) {
    return "a reserved IPv6 address (outside 2000::/3)";
  }
  return null;
}

const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR("2000::/3");

const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, "").toLowerCase();

/** The operator vouches for this host (WEBHOOK_ALLOWED_HOSTS names it, with or without the port). */
function vouchedFor(url: URL, policy: DestinationPolicy): boolean {
  return policy.allowedHosts.includes(hostOf(url)) || policy.allowedHosts.includes(url.host.toLowerCase());
}

/** Whether the addresses (and ports) of this URL's host go unchecked. */
const unchecked = (url: URL, policy: DestinationPolicy) => policy.allowPrivate || vouchedFor(url, policy);

/**
 * Why the URL's port is refused: port 0 names no port; and unless the
 * operator vouches for the host, only 443, 80 (http, where allowed) and the
 * unprivileged ports are for webhooks. Another privileged port (22, 25, …)
 * would make webhooks a probe of someone else's services.
 */
function portRefusal(url: URL, policy: DestinationPolicy): string | null {
  if (url.port === "") return null;
  const port = Number(url.port);
  if (port === 0) return "port 0 is not a port";
  if (port < 1024 && port !== 80 && port !== 443 && !unchecked(url, policy)) {
    return `port ${port} is not for webhooks (443, 80, or 1024 and up)`;
  }
  return null;
}

/** The URL's form: absolute https (http only where the operator allows it), no credentials, no fragment. */
export function checkUrlForm(raw: string, policy: DestinationPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new WebhookUrlRefused(raw, "it is not an absolute URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new WebhookUrlRefused(raw, "only https (or http where the operator allows it) can be used");
  }
  if (url.protocol === "http:" && !unchecked(url, policy)) {
    throw new WebhookUrlRefused(raw, "it must use https; plain http goes only to hosts the operator allows");
  }
  if (url.username || url.password) {
    throw new WebhookUrlRefused(raw, "it holds credentials; verify the signature instead");
  }
  if (url.hash) throw new WebhookUrlRefused(raw, "it has a fragment, which is never sent");
  const port = portRefusal(url, policy);
  if (port) throw new WebhookUrlRefused(raw, port);
  return url;
}

const lookupAll = promisify(dnsLookup);

/** The addresses a host name resolves to now (an IP literal is its own). */
async function resolve(host: string): Promise<string[]> {
  if (ipaddr.isValid(host)) return [host];
  try {
    const found = (await lookupAll(host, { all: true, verbatim: true })) as LookupAddress[];
    return found.map((entry) => entry.address);
  } catch {
    return [];
  }
}

/**
 * An endpoint URL as it may be saved: its form, then every address its host
 * resolves to now. Throws WebhookUrlRefused saying why.
 */
export async function checkDestination(raw: string, policy: DestinationPolicy): Promise<URL> {
  const url = checkUrlForm(raw, policy);
  if (unchecked(url, policy)) return url;
  const addresses = await resolve(hostOf(url));
  if (addresses.length === 0) throw new WebhookUrlRefused(raw, `${hostOf(url)} does not resolve`);
  for (const address of addresses) {
    const refusal = addressRefusal(address);
    if (refusal) throw new WebhookUrlRefused(raw, `${hostOf(url)} resolves to ${address}, ${refusal}`);
  }
  return url;
}

/**
 * Why a delivery to this URL must not be made now (the policy may have
 * changed since the endpoint was saved): a port it may not use, or a host
 * that is an IP address it may not reach (Node connects to those without a
 * lookup, so guardedLookup never sees them).
 */
export function connectionRefusal(url: URL, policy: DestinationPolicy): string | null {
  const port = portRefusal(url, policy);
  if (port) return port;
  const host = hostOf(url);
  if (!ipaddr.isValid(host) || unchecked(url, policy)) return null;
  const refusal = addressRefusal(host);
  return refusal ? `${host} is ${refusal}` : null;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http.request that connects only to addresses the policy
 * allows: the address checked is the address used, so a name that resolved
 * to a public address at creation and to 169.254.169.254 now is refused now.
 */
export function guardedLookup(url: URL, policy: DestinationPolicy) {
  return (host: string, options: { all?: boolean }, callback: LookupCallback) => {
    dnsLookup(host, { ...options, all: true, verbatim: true }, (error, found) => {
      if (error) return callback(error, []);
      const entries = found as LookupAddress[];
      if (!unchecked(url, policy)) {
        for (const entry of entries) {
          const refusal = addressRefusal(entry.address);
          if (refusal) {
            const refused: NodeJS.ErrnoException = new Error(`${host} resolves to ${entry.address}, ${refusal}`);
            refused.code = "EREFUSEDDESTINATION";
            return callback(refused, []);
          }
        }
      }
      if (options.all) return callback(null, entries);
      const [first] = entries;
      if (!first) return callback(Object.assign(new Error(`${host} does not resolve`), { code: "ENOTFOUND" }), []);
      callback(null, first.address, first.family);
    });
  };
}
