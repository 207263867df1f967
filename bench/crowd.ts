/**
 * The crowding user of bench/realtime.ts, in a process of its own so that
 * reading its streams does not slow the measuring process: once a second it
 * opens `count` event streams replaying from Last-Event-ID: 0, reads each
 * (discarding) until its replay stops, and drops them all. On SIGTERM it
 * prints how many were opened and refused, as JSON.
 * `node --import tsx bench/crowd.ts URL TOKEN COUNT`
 */
import { get } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";

const [url, token, count] = process.argv.slice(2);
if (!url || !token || !count) throw new Error("usage: crowd.ts URL TOKEN COUNT");

let opened = 0;
let refused = 0;
let running = true;
process.on("SIGTERM", () => {
  running = false;
});

function replayingStream(): Promise<number> {
  return new Promise((resolve) => {
    const request = get(
      url as string,
      { headers: { Authorization: `Bearer ${token}`, "Last-Event-ID": "0" } },
      (response) => {
        let quiet: NodeJS.Timeout | undefined;
        const settle = () => {
          clearTimeout(quiet);
          request.destroy();
          resolve(response.statusCode ?? 0);
        };
        response.on("data", () => {
          clearTimeout(quiet);
          quiet = setTimeout(settle, 200);
        });
        response.on("end", settle);
        quiet = setTimeout(settle, 2_000);
      },
    );
    request.on("error", () => resolve(0));
  });
}

while (running) {
  const started = performance.now();
  const statuses = await Promise.all(Array.from({ length: Number(count) }, replayingStream));
  opened += statuses.filter((status) => status === 200).length;
  refused += statuses.filter((status) => status === 429).length;
  await sleep(Math.max(0, 1_000 - (performance.now() - started)));
}
console.log(JSON.stringify({ opened, refused }));
