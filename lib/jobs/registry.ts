import { z } from "zod";
import { config } from "@/lib/config";
import type { JobType } from "./define";
import { adminBulk } from "./types/admin-bulk";
import { demoSteps } from "./types/demo-steps";
import { emailBulk } from "./types/email-bulk";
import { jobsExport } from "./types/jobs-export";
import { notifyEmail } from "./types/notify-email";

/**
 * The types that exist for tests and benchmarks (types/testing/): loaded,
 * not merely hidden, only when ACCEPTED_TEST_JOB_TYPES=1, so a production
 * process never runs their code (the lint step refuses a static import of
 * a testing/ folder).
 */
const testJobTypes: JobType[] = config().ACCEPTED_TEST_JOB_TYPES
  ? [
      (await import("./types/testing/record")).testRecord,
      (await import("./types/testing/chatty")).testChatty,
      (await import("./types/testing/sleep")).testSleep,
    ]
  : [];

/**
 * Every job type Accepted runs, as declarations (no handler code: see
 * lib/jobs/define.ts). The web validates submissions and builds its start
 * form from this list; the worker attaches one handler per entry.
 */
export const jobTypes: readonly JobType[] = [demoSteps, jobsExport, notifyEmail, emailBulk, adminBulk, ...testJobTypes];

/** The types clients may submit: every type but the internal ones. */
export const submittableJobTypes: readonly JobType[] = jobTypes.filter((jobType) => !jobType.internal);

export function findJobType(type: string): JobType | undefined {
  return jobTypes.find((jobType) => jobType.type === type);
}

/** What the dashboard needs to offer a job type: its names and its input as JSON Schema. */
export function describeJobTypes() {
  return submittableJobTypes.map((jobType) => ({
    type: jobType.type,
    title: jobType.title,
    description: jobType.description,
    // Round-tripped to plain objects: it is passed from a server component to a client one.
    inputSchema: JSON.parse(
      JSON.stringify(z.toJSONSchema(jobType.input, { io: "input", unrepresentable: "any" })),
    ) as InputJsonSchema,
  }));
}

export type JobTypeSummary = ReturnType<typeof describeJobTypes>[number];

/** The part of JSON Schema that the start form understands. */
export interface InputJsonSchema {
  properties?: Record<string, InputFieldSchema>;
  required?: string[];
}

export interface InputFieldSchema {
  type?: "string" | "integer" | "number" | "boolean";
  /** "email" for addresses. */
  format?: string;
  /** Set on a field that names an upload (POST /api/uploads): the form offers a file of this type. */
  contentMediaType?: string;
  enum?: string[];
  title?: string;
  description?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
}

// Worked out once per type: every submit asks.
const uploadFields = new Map<JobType, string[]>();

/** The input fields of a job type that name an upload, which must be the submitter's own. */
export function uploadFieldsOf(jobType: JobType): string[] {
  let fields = uploadFields.get(jobType);
  if (!fields) {
    const schema = z.toJSONSchema(jobType.input, { io: "input", unrepresentable: "any" }) as InputJsonSchema;
    fields = Object.entries(schema.properties ?? {})
      .filter(([, field]) => field.contentMediaType !== undefined)
      .map(([name]) => name);
    uploadFields.set(jobType, fields);
  }
  return fields;
}
