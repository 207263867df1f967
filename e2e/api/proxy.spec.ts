import { createWriteStream } from "node:fs";
import { request as httpRequest } from "node:http";
import { freePort, type Stack, startStack } from "@/scripts/stack";
import { expect, test } from "../support/fixtures";

// Web servers of their own (same database): two with no proxy in front
// (TRUSTED_PROXY_HOPS=0, the default), one behind a trusted proxy. The
// limits are counted in the database they share with the app every other
// test uses, so each test here comes from addresses of its own (another
// loopback address, or documentation ranges in X-Forwarded-For), leaving
// 127.0.0.1's sign-ins alone.
const servers: Record<"direct" | "second" | "proxied", Stack | undefined> = {
  direct: undefined,
  second: undefined,
  proxied: undefined,
};

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  const start = (name: string, hops: string) =>
    freePort().then((port) =>
      startStack({
        mode: "production",
        port,
        databaseUrl: process.env.DATABASE_URL as string,
        output: createWriteStream(`test-results/web-${name}.log`),
        env: { TRUSTED_PROXY_HOPS: hops },
        worker: false,
      }),
    );
  [servers.direct, servers.second, servers.proxied] = await Promise.all([
    start("direct", "0"),
    start("second", "0"),
    start("proxied", "1"),
  ]);
});

test.afterAll(async () => {
  await Promise.all(Object.values(servers).map((server) => server?.stop()));
});

/** A loopback address of this run's own (127.x.y.z): the counts it leaves in the shared database are no one else's. */
const loopback = () =>
  `127.${1 + Math.floor(Math.random() * 254)}.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 254)}`;

/** A wrong-password sign-in at `baseUrl`, sent from the loopback address `from`; its status. */
function wrongSignIn(baseUrl: string, from: string, headers: Record<string, string> = {}): Promise<number> {
  const body = JSON.stringify({ email: "nobody@example.com", password: "not the password at all" });
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      `${baseUrl}/api/auth/sign-in/email`,
      {
        method: "POST",
        localAddress: from,
        headers: { "Content-Type": "application/json", Origin: baseUrl, ...headers },
      },
      (response) => {
        response.resume();
        response.once("end", () => resolve(response.statusCode ?? 0));
      },
    );
    request.once("error", reject);
    request.end(body);
  });
}

/** Wrong-password sign-ins, each claiming to come from `forwardedFor(i)`; the statuses they got. */
async function wrongSignIns(
  baseUrl: string,
  count: number,
  forwardedFor: (i: number) => string,
  from = "127.0.0.1",
): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) {
    statuses.push(await wrongSignIn(baseUrl, from, { "X-Forwarded-For": forwardedFor(i) }));
  }
  return statuses;
}

test("with no trusted proxy, a made-up X-Forwarded-For does not escape the sign-in limit", async () => {
  const statuses = await wrongSignIns(servers.direct?.baseUrl as string, 30, (i) => `198.51.100.${i}`, loopback());
  expect(statuses.slice(0, 5).every((status) => status === 401)).toBe(true);
  expect(statuses.filter((status) => status === 429).length).toBeGreaterThanOrEqual(5);
});

test("behind one trusted proxy, the address it forwards is the client's, each with its own limit", async () => {
  const baseUrl = servers.proxied?.baseUrl as string;
  // Thirty clients, one try each: none is limited.
  const many = await wrongSignIns(baseUrl, 30, (i) => `203.0.113.${i}`);
  expect(many.filter((status) => status === 429)).toEqual([]);
  // One client trying thirty times is, whatever it puts before the proxy's entry.
  const one = await wrongSignIns(baseUrl, 30, (i) => `10.9.9.${i}, 192.0.2.77`);
  expect(one.filter((status) => status === 429).length).toBeGreaterThanOrEqual(5);
});

test("the sign-in limit holds across web processes: 30 tries spread over two servers, 20 answered", async () => {
  const both = [servers.direct?.baseUrl as string, servers.second?.baseUrl as string];
  const from = loopback();
  // At once, alternating between the servers, from one client (its own loopback address).
  const statuses = await Promise.all(Array.from({ length: 30 }, (_, i) => wrongSignIn(both[i % 2] as string, from)));
  expect(statuses.filter((status) => status === 401)).toHaveLength(20);
  expect(statuses.filter((status) => status === 429)).toHaveLength(10);
});
