import { z } from "zod";
import type { Database } from "@/db/client";
import { type InputIssue, InvalidInput, UnknownJobType } from "@/lib/errors";
import { findUpload } from "@/lib/uploads/store";
import type { InputCheckContext, JobType } from "./define";
import { findJobType, submittableJobTypes, uploadFieldsOf } from "./registry";

/** A job to run: its type and input (alone, or one of a batch's). Strict: a misspelt field is a 422 naming it. */
export const jobSpec = z.strictObject({
  type: z.string().min(1).max(100),
  input: z.record(z.string(), z.unknown()).default({}),
});
export type JobSpec = z.infer<typeof jobSpec>;

/**
 * Checks a submit request against its job type: a type clients may submit
 * (UnknownJobType otherwise), input its schema accepts (InvalidInput with
 * each issue's path under "input"), and uploads that exist and are the
 * submitter's own. Returns the type and the input as the schema parsed it.
 */
export async function checkSubmission(
  db: Database,
  request: JobSpec,
  ownerId: string,
): Promise<{ jobType: JobType; input: Record<string, unknown> }> {
  const jobType = findJobType(request.type);
  // Internal types (admin bulk actions) are started by their own routes.
  if (!jobType || jobType.internal) {
    throw new UnknownJobType(
      request.type,
      submittableJobTypes.map((known) => known.type),
    );
  }
  const input = jobType.input.safeParse(request.input);
  if (!input.success) {
    throw new InvalidInput(
      `The input does not match the schema of ${jobType.type}.`,
      input.error.issues.map((issue) => ({ ...issue, path: ["input", ...issue.path] })),
    );
  }
  const uploads: InputCheckContext["uploads"] = {};
  for (const field of uploadFieldsOf(jobType)) {
    const uploadId = input.data[field];
    if (typeof uploadId !== "string") continue;
    const upload = await findUpload(db, uploadId, ownerId);
    if (!upload) {
      throw new InvalidInput("The input names an upload that does not exist.", [
        { path: ["input", field], message: "No such upload: send the file to POST /api/uploads first." },
      ]);
    }
    uploads[field] = upload;
  }
  const issues = jobType.checkInput?.(input.data, { uploads }) ?? [];
  if (issues.length > 0) {
    throw new InvalidInput(
      `The input does not fit ${jobType.type}.`,
      issues.map((issue) => ({ ...issue, path: ["input", ...issue.path] })),
    );
  }
  return { jobType, input: input.data };
}

/**
 * Checks every item of a batch as checkSubmission checks one, and reports
 * all that are wrong at once: one InvalidInput whose issues name each bad
 * item by index (["jobs", 3, "input", "steps"]). Nothing is written until
 * every item passes.
 */
export async function checkBatch(
  db: Database,
  items: JobSpec[],
  ownerId: string,
): Promise<{ jobType: JobType; input: Record<string, unknown> }[]> {
  const checked: { jobType: JobType; input: Record<string, unknown> }[] = [];
  const issues: InputIssue[] = [];
  for (const [index, item] of items.entries()) {
    try {
      checked.push(await checkSubmission(db, item, ownerId));
    } catch (error) {
      if (error instanceof UnknownJobType) {
        issues.push({ path: ["jobs", index, "type"], message: error.message, knownTypes: error.knownTypes });
      } else if (error instanceof InvalidInput) {
        issues.push(...error.issues.map((issue) => ({ ...issue, path: ["jobs", index, ...issue.path] })));
      } else {
        throw error;
      }
    }
  }
  if (issues.length > 0) {
    const bad = new Set(issues.map((issue) => issue.path[1])).size;
    throw new InvalidInput(`${bad} of the ${items.length} jobs are not valid; nothing was accepted.`, issues);
  }
  return checked;
}
