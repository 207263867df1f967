import { createWriteStream } from "node:fs";
import { freePort, type Stack, startStack } from "@/scripts/stack";
import { type ApiUser, createApiUser } from "../support/api-user";
import { baseURL, expect, test } from "../support/fixtures";
import { WebhookReceiver } from "../support/webhook-receiver";

// A web server of its own (same database) set up as production is: private
// networks not allowed. Its one vouched-for host (WEBHOOK_ALLOWED_HOSTS) is
// a receiver on this machine that answers with a redirect to the cloud's
// metadata address, as a hostile receiver would.
let server: Stack | undefined;
let redirector: WebhookReceiver;
let user: ApiUser;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  redirector = await WebhookReceiver.start();
  user = await createApiUser(baseURL, "ssrf");
  server = await startStack({
    mode: "production",
    port: await freePort(),
    databaseUrl: process.env.DATABASE_URL as string,
    output: createWriteStream("test-results/web-webhook-destinations.log"),
    env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: "false", WEBHOOK_ALLOWED_HOSTS: `127.0.0.1:${redirector.port}` },
    worker: false,
  });
});

test.afterAll(async () => {
  await server?.stop();
  await redirector.stop();
});

const register = (url: string) =>
  fetch(`${server?.baseUrl}/api/webhooks`, {
    method: "POST",
    headers: { ...user.headers, "Content-Type": "application/json" },
    body: JSON.stringify({ url }),
  });

test("private, loopback, link-local and metadata destinations are refused with a 422 problem", async () => {
  const refused: [string, RegExp][] = [
    ["http://127.0.0.1/hook", /https/],
    ["http://169.254.169.254/latest/meta-data/", /https/],
    ["http://[::1]/hook", /https/],
    ["https://127.0.0.1/hook", /loopback/],
    ["https://169.254.169.254/latest/meta-data/", /link-local/],
    ["https://[::1]/hook", /loopback/],
    ["https://[::ffff:127.0.0.1]/hook", /loopback/],
    ["https://10.0.0.8/hook", /private/],
    ["https://192.168.1.1/hook", /private/],
    ["https://[fd00:ec2::254]/hook", /private/],
    ["https://0.0.0.0/hook", /unspecified/],
    // IPv4 inside IPv6 forms that are not IPv4-mapped: IPv4-compatible (::127.0.0.1), NAT64.
    ["https://[::127.0.0.1]/hook", /reserved IPv6/],
    ["https://[::169.254.169.254]/hook", /reserved IPv6/],
    ["https://[64:ff9b::127.0.0.1]/hook", /reserved/],
    // Ports: none, or a privileged one that is not a web server's.
    ["https://93.184.216.34:0/hook", /port 0/],
    ["https://93.184.216.34:22/hook", /port 22/],
    // A name that resolves to a private address (localhost: 127.0.0.1 and ::1).
    ["https://localhost/hook", /resolves to .*loopback/],
  ];
  for (const [url, reason] of refused) {
    const response = await register(url);
    expect(response.status, url).toBe(422);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
    const problem = await response.json();
    expect(problem.type, url).toBe("/problems/webhook-url-refused");
    expect(problem.detail, url).toMatch(reason);
  }
});

test("a URL that answers with a redirect (here to the metadata address) is refused, and never followed", async () => {
  redirector.answerNext({ status: 302, headers: { Location: "http://169.254.169.254/latest/meta-data/" } });
  const response = await register(redirector.url("/redirects"));
  expect(response.status).toBe(422);
  const problem = await response.json();
  expect(problem.type).toBe("/problems/webhook-url-refused");
  expect(problem.detail).toContain("redirect to http://169.254.169.254/latest/meta-data/");
  // One request (the ping), and the redirect was not followed.
  expect(redirector.arrivals.items.map((received) => received.path)).toEqual(["/redirects"]);

  // Nothing was saved.
  const list = await fetch(`${server?.baseUrl}/api/webhooks`, { headers: user.headers });
  expect((await list.json()).items).toEqual([]);
});

test("the host the operator vouches for is allowed over http, and nothing else on it is", async () => {
  const allowed = await register(redirector.url("/fine"));
  expect(allowed.status).toBe(201);
  // Another port on the same address is not the vouched-for host.
  const otherPort = await register(`http://127.0.0.1:${redirector.port + 1}/hook`);
  expect(otherPort.status).toBe(422);
  const { endpoint } = await allowed.json();
  await fetch(`${server?.baseUrl}/api/webhooks/${endpoint.id}`, { method: "DELETE", headers: user.headers });
});
