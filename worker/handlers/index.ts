import { config } from "@/lib/config";
import type { JobType } from "@/lib/jobs/define";
import { jobTypes } from "@/lib/jobs/registry";
import type { JobHandler } from "../handler";
import adminBulk from "./admin-bulk";
import demoSteps from "./demo-steps";
import emailBulk from "./email-bulk";
import jobsExport from "./jobs-export";
import notifyEmail from "./notify-email";

// The test job types' handlers, loaded only when their declarations are offered (lib/jobs/registry.ts).
const testHandlers = config().ACCEPTED_TEST_JOB_TYPES
  ? [
      (await import("./testing/record")).default,
      (await import("./testing/chatty")).default,
      (await import("./testing/sleep")).default,
    ]
  : [];

// Typed loosely here: each handler was checked against its own declaration where it was defined.
const handlers = [demoSteps, jobsExport, notifyEmail, emailBulk, adminBulk, ...testHandlers] as unknown as JobHandler[];

/**
 * The handler of each job type this process offers (lib/jobs/registry.ts),
 * in the registry's order. A declared type without a handler, or two
 * handlers for one type, stops the worker at start rather than leaving jobs
 * that nobody runs.
 */
export function handlersForRegistry(types: readonly JobType[] = jobTypes): JobHandler[] {
  return types.map((jobType) => {
    const matching = handlers.filter((handler) => handler.jobType.type === jobType.type);
    if (matching.length !== 1) {
      throw new Error(`job type ${jobType.type} has ${matching.length} handlers; it needs exactly one`);
    }
    return matching[0] as JobHandler;
  });
}
