import type { Operation } from "../route";
import * as account from "./account";
import * as admin from "./admin";
import * as batches from "./batches";
import * as jobs from "./jobs";
import * as schedules from "./schedules";
import * as system from "./system";
import * as webhooks from "./webhooks";

export { account, admin, batches, jobs, schedules, system, webhooks };

const isOperation = (value: unknown): value is Operation =>
  typeof value === "object" && value !== null && "method" in value && "path" in value && "doc" in value;

/** Every operation the API serves, for the OpenAPI document. */
export const operations: readonly Operation[] = [jobs, batches, schedules, account, admin, system, webhooks].flatMap(
  (group) => Object.values(group).filter(isOperation),
);
