/**
 * The flooding user of bench/floods.ts, in a process of its own so that
 * flooding does not slow the measuring process. Until SIGTERM it keeps
 * `CONCURRENCY` requests of one kind in flight, as a hostile or careless
 * client would, then prints how they were answered, as JSON.
 *   uploads:    1 MB CSVs to POST /api/uploads
 *   messages:   WebSocket subscriptions of 1,000 made-up job ids, reconnecting when closed
 *   test-sends: POST /api/webhooks/ENDPOINT/test
 * `node --import tsx bench/flood.ts KIND URL TOKEN [ENDPOINT]`
 */
import { randomUUID } from "node:crypto";
import { Agent, request as httpRequest } from "node:http";
import WebSocket from "ws";

const [kind, url, token, endpoint] = process.argv.slice(2);
if (!kind || !url || !token) throw new Error("usage: flood.ts KIND URL TOKEN [ENDPOINT]");
const baseUrl: string = url;

const CONCURRENCY = 16;
const answered = new Map<string, number>();
const count = (what: string | number) => answered.set(String(what), (answered.get(String(what)) ?? 0) + 1);
let running = true;
process.on("SIGTERM", () => {
  running = false;
});

const headers = { Authorization: `Bearer ${token}` };
// Built once: the flood should cost this process little, so that what is measured is the server's cost.
const BOUNDARY = "----accepted-flood";
const uploadBody = Buffer.from(
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\nContent-Type: text/csv\r\n\r\n` +
    `${`email\n${"someone@example.com\n".repeat(50_000)}`.slice(0, 1_000_000)}\r\n--${BOUNDARY}--\r\n`,
);
const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function request(): Promise<void> {
  const upload = kind === "uploads";
  return new Promise((resolve) => {
    const outgoing = httpRequest(
      `${baseUrl}${upload ? "/api/uploads" : `/api/webhooks/${endpoint}/test`}`,
      {
        method: "POST",
        agent,
        headers: {
          ...headers,
          ...(upload ? { "Content-Type": `multipart/form-data; boundary=${BOUNDARY}` } : {}),
          "Content-Length": String(upload ? uploadBody.byteLength : 0),
        },
      },
      (response) => {
        response.resume();
        response.once("end", () => {
          count(response.statusCode ?? 0);
          resolve();
        });
      },
    );
    outgoing.once("error", () => {
      count("error");
      resolve();
    });
    outgoing.end(upload ? uploadBody : undefined);
  });
}

/** One socket subscribing to made-up ids as fast as it may; resolves when the server closes it. */
function messages(): Promise<void> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`${baseUrl.replace(/^http/, "ws")}/api/events`, { headers });
    const subscribe = () =>
      socket.send(
        JSON.stringify({
          type: "subscribe",
          jobs: Object.fromEntries(Array.from({ length: 1_000 }, () => [randomUUID(), 0])),
        }),
      );
    socket.on("message", () => count("reply"));
    socket.on("open", () => {
      for (let i = 0; i < 300 && socket.readyState === WebSocket.OPEN; i++) subscribe();
    });
    socket.on("error", () => {});
    socket.on("close", (code) => {
      count(`closed ${code}`);
      resolve();
    });
  });
}

async function loop(): Promise<void> {
  while (running) {
    try {
      if (kind === "messages") await messages();
      else await request();
    } catch {
      count("error");
    }
  }
}

await Promise.all(Array.from({ length: kind === "messages" ? 1 : CONCURRENCY }, loop));
console.log(JSON.stringify(Object.fromEntries(answered)));
