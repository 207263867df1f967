import type { Task, TaskList } from "graphile-worker";
import { getDb } from "@/lib/db";
import { emailWhenDone, tellEndpointDisabled } from "@/lib/mail/notices";
import {
  DELIVER_WEBHOOKS_TASK,
  EMAIL_WHEN_DONE_TASK,
  emailWhenDonePayload,
  webhookChainPayload,
} from "@/lib/queue/graphile-worker";
import { deliverChain } from "@/lib/webhooks/chain";
import { destinationPolicy } from "@/lib/webhooks/destination";

/**
 * The tasks that tell people about their jobs, queued by the trigger that
 * sees a job finish (the webhooks migration): webhook deliveries, a chain
 * at a time, and "email me when done". They wait on other servers, so they
 * get a lane of their own (worker/index.ts), not places meant for jobs.
 */

const deliverWebhooks: Task = async (payload) => {
  const { endpointId, chain } = webhookChainPayload.parse(payload);
  const db = getDb();
  await deliverChain(db, endpointId, chain, {
    policy: destinationPolicy(),
    onDisabled: (disabled) => tellEndpointDisabled(db, disabled),
  });
};

const sendEmailWhenDone: Task = async (payload) => {
  const { jobId } = emailWhenDonePayload.parse(payload);
  await emailWhenDone(getDb(), jobId);
};

export const notificationTasks: TaskList = {
  [DELIVER_WEBHOOKS_TASK]: deliverWebhooks,
  [EMAIL_WHEN_DONE_TASK]: sendEmailWhenDone,
};
