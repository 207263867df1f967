import { createWriteStream } from "node:fs";
import { freePort, type Stack, startStack } from "@/scripts/stack";
import { expect, test } from "../support/fixtures";

// Web servers of their own (same database), so that exhausting the sign-in
// limit here leaves the shared one alone: one with no proxy in front
// (TRUSTED_PROXY_HOPS=0, the default), one behind a trusted proxy.
const servers: Record<"direct" | "proxied", Stack | undefined> = { direct: undefined, proxied: undefined };

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
  servers.direct = await start("direct", "0");
  servers.proxied = await start("proxied", "1");
});

test.afterAll(async () => {
  await Promise.all(Object.values(servers).map((server) => server?.stop()));
});

/** Wrong-password sign-ins, each claiming to come from `forwardedFor(i)`; the statuses they got. */
async function wrongSignIns(baseUrl: string, count: number, forwardedFor: (i: number) => string): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) {
    const response = await fetch(`${baseUrl}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Origin: baseUrl, "X-Forwarded-For": forwardedFor(i) },
      body: JSON.stringify({ email: "nobody@example.com", password: "not the password at all" }),
    });
    statuses.push(response.status);
  }
  return statuses;
}

test("with no trusted proxy, a made-up X-Forwarded-For does not escape the sign-in limit", async () => {
  const statuses = await wrongSignIns(servers.direct?.baseUrl as string, 30, (i) => `198.51.100.${i}`);
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
