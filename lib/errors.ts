/**
 * What the domain raises when it cannot do what it was asked. These say what
 * went wrong in the domain's own terms; lib/http/problem.ts maps each to
 * problem details once, at the edge, and nothing below it speaks HTTP.
 */
export class DomainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** One thing wrong with an input, at a path inside it. */
export interface InputIssue {
  path: PropertyKey[];
  message: string;
  [detail: string]: unknown;
}

/** A resource that does not exist, or that the caller may not see (the two look the same). */
export class NotFound extends DomainError {}

export class JobNotFound extends NotFound {
  constructor(readonly jobId: string) {
    super(`There is no job ${jobId}.`);
  }
}

/** The job exists but its state does not allow what was asked. */
export class JobStateConflict extends DomainError {
  constructor(
    readonly jobId: string,
    readonly state: string,
    detail: string,
  ) {
    super(detail);
  }
}

/** Input that fails validation: every issue, each with its path. */
export class InvalidInput extends DomainError {
  constructor(
    message: string,
    readonly issues: InputIssue[],
  ) {
    super(message);
  }
}

export class UnknownJobType extends DomainError {
  constructor(
    readonly type: string,
    readonly knownTypes: string[],
  ) {
    super(`There is no job type "${type}".`);
  }
}

/** An uploaded file that cannot be used (not UTF-8, not CSV, no email column…). */
export class InvalidUpload extends DomainError {}

/** An Idempotency-Key sent again with a different request. */
export class IdempotencyKeyReused extends DomainError {
  constructor(readonly jobId: string) {
    super("Send a new key for a new request; a key repeats only the request it was first sent with.");
  }
}

/** The result was asked for before the job succeeded, or of a job that did not. */
export class ResultNotAvailable extends DomainError {
  constructor(
    readonly jobId: string,
    readonly state: string,
  ) {
    super(
      state === "scheduled" || state === "queued" || state === "running"
        ? `The job is ${state}; its result exists once it has succeeded.`
        : `The job is ${state}, so it has no result.`,
    );
  }
}

/** A job type whose effect is the result (result kind "none"): there is no result resource. */
export class NoResultResource extends DomainError {
  constructor(readonly jobId: string) {
    super("Its effect is the result: success is reported on the status URI itself.");
  }
}

/** A finished job past its retention: its result has been deleted. */
export class JobExpired extends DomainError {
  constructor(
    readonly jobId: string,
    readonly state: string,
    readonly expiredAt: Date,
  ) {
    super(`The job ${state} and was kept until ${expiredAt.toISOString()}; its result has been deleted.`);
  }
}

/** An owner at their cap of unfinished jobs: nothing more is accepted until some finish. */
export class UnfinishedJobsCapReached extends DomainError {
  constructor(
    readonly cap: number,
    readonly unfinished: number,
    /** When a place is likely to be free, in seconds: the soonest estimated finish of the owner's running jobs. */
    readonly retryAfterSeconds: number,
    /** How many jobs the refused request asked for (a batch's size). */
    readonly asked = 1,
  ) {
    super(
      `You have ${unfinished} unfinished ${unfinished === 1 ? "job" : "jobs"}, and ${cap} is the most you may have at once.` +
        (asked > 1 ? ` A batch of ${asked} does not fit.` : "") +
        " Nothing was accepted; submit again when some have finished, or cancel some.",
    );
  }
}

/** A batch's result was asked for before every job in it finished. */
export class BatchNotFinished extends DomainError {
  constructor(
    readonly batchId: string,
    readonly unfinished: number,
  ) {
    super(`${unfinished} of its jobs have not finished; the result exists once all have.`);
  }
}

/** A user already holds as many realtime connections (streams, sockets, long polls) as one user may. */
export class TooManyConnections extends DomainError {
  constructor(readonly cap: number) {
    super(
      `You already have ${cap} open event streams, WebSockets and long polls on this server, the most one user may. ` +
        "Close some, or follow many jobs over one connection: the all-jobs stream, or one WebSocket with subscriptions.",
    );
  }
}

/** A webhook URL that cannot be used: malformed, not https, or leading somewhere private. */
export class WebhookUrlRefused extends DomainError {
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`This URL cannot receive webhooks: ${reason}.`);
  }
}

/** A request past one of the rate limits (lib/rate-limits.ts): nothing was done; try again after `retryAfterSeconds`. */
export class RateLimited extends DomainError {
  constructor(
    readonly limit: { name: string; max: number; windowSeconds: number },
    readonly retryAfterSeconds: number,
  ) {
    super(
      `Too many ${limit.name} requests: at most ${limit.max} every ${limit.windowSeconds} s. ` +
        "Nothing was done; try again when Retry-After says.",
    );
  }
}

/** A user already has as many of something in progress as one may at once (uploads): try again in a moment. */
export class TooManyInProgress extends DomainError {
  constructor(
    readonly what: string,
    readonly max: number,
  ) {
    super(
      `You have ${max} ${what} in progress, the most one user may have at once. Nothing was done; try again shortly.`,
    );
  }
}

/** A user's stored files would pass their quota: nothing was stored. */
export class QuotaExceeded extends DomainError {
  constructor(
    readonly quotaBytes: number,
    readonly usedBytes: number,
  ) {
    super(
      `Your uploads take ${usedBytes} bytes and may take at most ${quotaBytes}; this file does not fit. ` +
        "Uploads no job needs are deleted after a while (UPLOAD_UNUSED_HOURS), and used ones with their jobs.",
    );
  }
}
