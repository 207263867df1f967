import assert from "node:assert/strict";
import { rm } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import postgres from "postgres";
import { startEmbeddedPostgres } from "@/db/embedded";
import { type LaunchedDatabase, startPostgresProcess } from "@/scripts/database";
import { freePort } from "@/scripts/stack";

// Two installs on one machine: each has its data directory, and the port of
// the embedded PostgreSQL defaults to the same 54329. The second must not run
// on the first one's database.
describe("embedded PostgreSQL on a port another data directory's server holds", () => {
  const first = path.resolve(`.data/embedded-test-${process.pid}-first`);
  const second = path.resolve(`.data/embedded-test-${process.pid}-second`);
  let port: number;
  let running: LaunchedDatabase;

  before(async () => {
    port = await freePort();
    // As `npm start` runs it: the launcher's server process.
    running = await startPostgresProcess(first, port, false);
  });

  after(async () => {
    await running?.stop();
    await rm(first, { recursive: true, force: true });
    await rm(second, { recursive: true, force: true });
  });

  it("refuses another data directory, naming the port, the other directory and the ways out", async () => {
    // Should it wrongly start, it is stopped, so the failure is reported rather than leaving a server running.
    const starting = startPostgresProcess(second, port, false).then(async (wronglyStarted) => {
      await wronglyStarted.stop();
      return wronglyStarted;
    });
    await assert.rejects(starting, (error: Error) => {
      assert.match(error.message, new RegExp(`Port ${port} `));
      assert.ok(error.message.includes(first), error.message);
      assert.ok(error.message.includes(second), error.message);
      assert.match(error.message, /EMBEDDED_PG_PORT/);
      assert.match(error.message, /DATABASE_URL/);
      return true;
    });
  });

  it("refuses a port held by another program, not PostgreSQL", async () => {
    const { createServer } = await import("node:net");
    const other = createServer((socket) => {
      socket.on("error", () => {}); // a probe that hangs up
      socket.resume();
      socket.end("HTTP/1.1 400 Bad Request\r\n\r\n");
    });
    const otherPort = await freePort();
    await new Promise<void>((resolve) => other.listen(otherPort, "127.0.0.1", resolve));
    try {
      await assert.rejects(
        startEmbeddedPostgres({ dataDir: second, port: otherPort, persistent: false }).then(async (wronglyStarted) => {
          await wronglyStarted.stop();
          return wronglyStarted;
        }),
        new RegExp(`Port ${otherPort} is already in use by another program.*EMBEDDED_PG_PORT`),
      );
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
  });

  it("reuses the server of its own data directory (the launcher's, for web and worker)", async () => {
    const joined = await startEmbeddedPostgres({ dataDir: first, port, persistent: false });
    assert.equal(joined.owned, false);
    assert.equal(joined.url, running.url);
    const sql = postgres(joined.url, { max: 1, onnotice: () => {} });
    try {
      const [row] = await sql<{ data_directory: string }[]>`show data_directory`;
      assert.equal(row?.data_directory, first);
    } finally {
      await sql.end();
    }
  });
});
