import { type SQL, sql } from "drizzle-orm";
import { jobOwnerQuotas, jobs, jobTypeControls } from "@/db/schema";

/**
 * How owners share the workers. graphile-worker starts the waiting job with
 * the lowest priority (then the oldest); we give each job, as it is queued,
 * the round it joins: the round being served now (the lowest priority
 * among jobs waiting to run) plus how many unfinished jobs its owner has already.
 * An owner's thousandth job lands a thousand rounds back; another owner's
 * first lands in the current round and starts within a job or two. Two
 * owners with backlogs alternate. It costs the submit two index lookups and
 * the worker nothing: graphile-worker orders by priority anyway.
 *
 * It is start-time fair queueing by job count, not by work: an owner of
 * long jobs gets as many starts as an owner of short ones.
 */

/**
 * The round being served: the lowest priority among jobs waiting to run (0
 * when none wait), from the small partial index jobs_waiting_priority_idx.
 * Not "the highest among running jobs": most jobs never say running, their
 * start being deferred (lib/jobs/lifecycle/start.ts). Paused jobs and jobs
 * waiting out a retry's backoff are not waiting to run now.
 */
export const currentRound: SQL = sql`(select coalesce(min(${jobs.priority}), 0) from ${jobs}
  where ${jobs.state} = 'queued' and not ${jobs.paused} and (${jobs.retryAt} is null or ${jobs.retryAt} <= now()))`;

/** The unfinished jobs an owner has, from the counter the jobs trigger keeps. */
export const unfinishedOf = (ownerId: string | null | SQL): SQL =>
  sql`coalesce((select ${jobOwnerQuotas.unfinished} from ${jobOwnerQuotas} where ${jobOwnerQuotas.ownerId} = ${ownerId}::text), 0)`;

/** The priority of a job queued now whose owner has `ahead` unfinished jobs already. */
export const fairPriority = (ahead: SQL): SQL => sql`${currentRound} + ${ahead}`;

/** Whether a type is paused now, as an SQL expression. */
export const typePaused = (type: string): SQL =>
  sql`coalesce((select ${jobTypeControls.paused} from ${jobTypeControls} where ${jobTypeControls.type} = ${type}), false)`;
