import { oncePer } from "@/db/client";
import type { Job } from "@/db/schema";
import { toJobStatus } from "@/lib/jobs/representation";
import { formatSse } from "./sse";

/**
 * A job's change as each transport sends it, made once per row read: the
 * job feed shares one read of a version among all its subscribers, and a
 * replay its rows among the streams resuming from the same point, so a
 * change that a thousand connections hear is serialized and encoded once,
 * not a thousand times.
 */

const statusJson = oncePer((job: Job) => JSON.stringify(toJobStatus(job)));

/** The WebSocket message: `{"type":"job","job":…}`. */
export const jobSocketMessage = oncePer((job: Job) => Buffer.from(`{"type":"job","job":${statusJson(job)}}`));

/** The SSE event of a one-job stream, whose ids are the job's versions. */
export const jobVersionEvent = oncePer((job: Job) =>
  Buffer.from(formatSse({ id: String(job.version), event: "job", json: statusJson(job) })),
);

/** The SSE event of an all-jobs stream, whose ids are the times of the changes (ms). */
export const jobChangeEvent = oncePer((job: Job) =>
  Buffer.from(formatSse({ id: String(job.updatedAt.getTime()), event: "job", json: statusJson(job) })),
);
