import {
  type QueryClient,
  type UseMutationResult,
  type UseQueryResult,
  useMutation,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";
import { createContext, createElement, type ReactNode, useContext, useEffect, useMemo, useRef, useState } from "react";
import type { AcceptedClient, InputOf, JobType, SubmitOptions } from "./client.ts";
import { isFinished, type JobLogLine, type JobStatus } from "./connection.ts";
import { AcceptedProblem } from "./problem.ts";
import type { WatchState } from "./watch.ts";

/** React Query keys under which the hooks keep jobs: invalidate `all` to read everything again. */
export const acceptedKeys = {
  all: ["accepted"] as const,
  job: (id: string) => [...acceptedKeys.all, "job", id] as const,
};

const ClientContext = createContext<AcceptedClient | null>(null);

/** Gives the hooks below their client; put it inside your QueryClientProvider. */
export function AcceptedProvider({ client, children }: { client: AcceptedClient; children?: ReactNode }) {
  return createElement(ClientContext.Provider, { value: client }, children);
}

/** The client the nearest AcceptedProvider gives, for calls the hooks do not cover. */
export function useAcceptedClient(): AcceptedClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error("Accepted's hooks need an <AcceptedProvider client={createClient(…)}> above them");
  return client;
}

/**
 * The newer of two copies of a job. A read can answer with an older state
 * than one already pushed (read before the change, arrived after it);
 * versions only grow, so the higher one wins, and on a tie the one arriving.
 */
export function newerJob(kept: JobStatus | undefined, arriving: JobStatus): JobStatus {
  return kept && kept.version > arriving.version ? kept : arriving;
}

/** Puts a job's state where useJob reads it, unless what is there is newer. */
export function setJobData(queryClient: QueryClient, job: JobStatus): void {
  queryClient.setQueryData<JobStatus>(acceptedKeys.job(job.id), (kept) => newerJob(kept, job));
}

/**
 * How useJob learns of new states. "follow": the SDK follows the job
 * (WebSocket, else SSE, else long polling) until it finishes. "poll": it is
 * read again at the pace the server's Retry-After asks. "none": something
 * else puts them in the cache (useLiveJobs, setJobData); it is read once.
 */
export type JobUpdates = "follow" | "poll" | "none";

// When the server gives no Retry-After.
const DEFAULT_POLL_MS = 2_000;

/**
 * One job's status representation, kept current until it finishes. `id`
 * may be undefined (nothing to show yet: the query waits). A job that is
 * not yours, or gone, is an AcceptedProblem error (404, 410), not retried.
 */
export function useJob(
  id: string | undefined,
  { updates = "follow" }: { updates?: JobUpdates } = {},
): UseQueryResult<JobStatus, Error> {
  const client = useAcceptedClient();
  const queryClient = useQueryClient();
  const handle = useMemo(() => (id === undefined ? null : client.job(id)), [client, id]);
  // Following gave up (the connection kept failing): poll instead.
  const [followFailed, setFollowFailed] = useState(false);
  const mode = updates === "follow" && followFailed ? "poll" : updates;

  const query = useQuery<JobStatus, Error>({
    queryKey: acceptedKeys.job(id ?? ""),
    queryFn: ({ signal }) => {
      if (!handle) throw new Error("no job to read");
      return handle.status({ signal });
    },
    enabled: handle !== null,
    refetchInterval: (current) => {
      const job = current.state.data;
      if (mode !== "poll" || !job || isFinished(job.state)) return false;
      return handle?.retryAfterMs ?? DEFAULT_POLL_MS;
    },
    retry: (count, error) => !(error instanceof AcceptedProblem && error.status < 500) && count < 3,
    structuralSharing: (kept, arriving) => newerJob(kept as JobStatus | undefined, arriving as JobStatus),
  });

  const following = mode === "follow" && query.data !== undefined && !isFinished(query.data.state);
  useEffect(() => {
    if (!following || !handle) return;
    const controller = new AbortController();
    // Resume after the version the cache has, so nothing is yielded twice.
    handle.last = queryClient.getQueryData<JobStatus>(acceptedKeys.job(handle.id)) ?? handle.last;
    void (async () => {
      try {
        for await (const job of handle.follow({ signal: controller.signal })) setJobData(queryClient, job);
      } catch {
        if (!controller.signal.aborted) setFollowFailed(true);
      }
    })();
    return () => controller.abort();
  }, [following, handle, queryClient]);

  return query;
}

// A page keeps at most this many of a log's lines (the oldest go first).
const MAX_LOG_LINES = 5_000;

export interface JobLogState {
  lines: JobLogLine[];
  /** True until every line there is has been read (and, following, until the job has finished). */
  loading: boolean;
  error: Error | null;
}

/**
 * A job's own log, kept current while the job runs (`job.logs()`: a long
 * poll on the log's cursor), narrowed to a level or an attempt if asked.
 * `id` may be undefined (nothing to show yet).
 */
export function useJobLogs(
  id: string | undefined,
  { level, attempt }: { level?: JobLogLine["level"]; attempt?: number } = {},
): JobLogState {
  const client = useAcceptedClient();
  const [state, setState] = useState<JobLogState>({ lines: [], loading: id !== undefined, error: null });
  useEffect(() => {
    if (id === undefined) return;
    const controller = new AbortController();
    setState({ lines: [], loading: true, error: null });
    void (async () => {
      try {
        let batch: JobLogLine[] = [];
        let flush: ReturnType<typeof setTimeout> | undefined;
        const publish = () => {
          flush = undefined;
          if (controller.signal.aborted) return;
          const arrived = batch;
          batch = [];
          setState((current) => ({ ...current, lines: [...current.lines, ...arrived].slice(-MAX_LOG_LINES) }));
        };
        for await (const line of client.job(id).logs({ level, attempt, signal: controller.signal })) {
          // Lines come in bursts: rendered together, not one render each.
          batch.push(line);
          flush ??= setTimeout(publish, 50);
        }
        clearTimeout(flush);
        publish();
        setState((current) => ({ ...current, loading: false }));
      } catch (error) {
        if (!controller.signal.aborted) setState((current) => ({ ...current, loading: false, error: error as Error }));
      }
    })();
    return () => controller.abort();
  }, [client, id, level, attempt]);
  return state;
}

/** What useSubmitJob's `mutate` takes: a job type and its input (typed per type), and the submit's options. */
export type SubmitRequest = { [T in JobType]: { type: T; input: InputOf<T> } }[JobType] & SubmitOptions;

/**
 * Submits a job; `data` is its state as accepted (queued), already in the
 * cache, so `useJob(data.id)` shows it at once. Retried safely after a 503
 * or a lost answer (one job, however many tries: see SubmitOptions).
 */
export function useSubmitJob(): UseMutationResult<JobStatus, Error, SubmitRequest> {
  const client = useAcceptedClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ type, input, ...options }: SubmitRequest) => {
      const handle = await client.submit(type, input as InputOf<typeof type>, options);
      return handle.last ?? handle.status();
    },
    onSuccess: (job) => setJobData(queryClient, job),
  });
}

/**
 * Every change to your jobs (scope "all": everyone's, for admins) over one
 * connection for the page, put in the cache for `useJob(id, { updates:
 * "none" })` and handed to `onJob`; whether it is live, and over what.
 * Each time it (re)connects, what the hooks hold is read again, to catch up.
 */
export function useLiveJobs({
  scope = "mine",
  onJob,
}: {
  scope?: "mine" | "all";
  onJob?: (job: JobStatus) => void;
} = {}): WatchState {
  const client = useAcceptedClient();
  const queryClient = useQueryClient();
  const [state, setState] = useState<WatchState>({ mode: "connecting", transport: null });
  // The latest callback, without reconnecting when a render passes a new one.
  const onJobRef = useRef(onJob);
  useEffect(() => {
    onJobRef.current = onJob;
  }, [onJob]);

  useEffect(() => {
    const controller = new AbortController();
    void client.watch({
      scope,
      signal: controller.signal,
      onJob: (job) => {
        setJobData(queryClient, job);
        onJobRef.current?.(job);
      },
      onState: (next) => {
        setState(next);
        if (next.mode === "live") void queryClient.invalidateQueries({ queryKey: acceptedKeys.all });
      },
    });
    return () => controller.abort();
  }, [client, queryClient, scope]);

  return state;
}

export type { WatchMode, WatchState } from "./watch.ts";
