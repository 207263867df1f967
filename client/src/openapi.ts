// Generated from the OpenAPI document by `npm run client:types` (scripts/client-types.ts): do not edit.
export interface paths {
    "/api/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Server-Sent Events for all your jobs (the same URL takes a WebSocket upgrade: see the README) */
        get: {
            parameters: {
                query?: {
                    /** @description all: every job (admins only). */
                    scope?: "own" | "all";
                };
                header?: {
                    "Last-Event-ID"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description event: job, id: the change's time in ms, data: a JobStatus. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/event-stream": string;
                    };
                };
                /** @description No session cookie or API token, or a revoked token. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description scope=all asked by someone who is not an admin. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description You hold REALTIME_MAX_CONNECTIONS_PER_USER connections (event streams, WebSockets, long polls) already, or opened them faster than 10 a second after a burst that big (see cap). */
                429: {
                    headers: {
                        /** @description Seconds until the job is worth asking about again. */
                        "Retry-After": string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/jobs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The status monitor */
        get: {
            parameters: {
                query?: {
                    /** @description false: always answer 200 with the status itself, instead of 303 to the result (or a failed job's problem). */
                    redirect?: "true" | "false";
                };
                header?: {
                    /** @description W/"<version>" you have: 304 while unchanged. */
                    "If-None-Match"?: string;
                    /** @description wait=N (at most 60): with If-None-Match, a long poll. */
                    Prefer?: string;
                };
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Queued or running; succeeded with no result resource (result.kind none); any state with ?redirect=false. */
                200: {
                    headers: {
                        /** @description The job's version as a weak entity tag, W/"<version>". */
                        ETag: string;
                        "Retry-After"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["JobStatus"];
                    };
                };
                /** @description Succeeded: the result is at Location. */
                303: {
                    headers: {
                        /** @description The result resource. */
                        Location: string;
                        /** @description The job's version as a weak entity tag, W/"<version>". */
                        ETag: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["JobStatus"];
                    };
                };
                /** @description Unchanged since the version in If-None-Match. */
                304: {
                    headers: {
                        /** @description The job's version as a weak entity tag, W/"<version>". */
                        ETag: string;
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description No session cookie or API token, or a revoked token. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such job (or not yours). */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The job expired: its result is deleted (see expiredAt). ?redirect=false still answers 200. */
                410: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The job failed and cannot succeed with its input: problem details with jobId and state. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description You hold REALTIME_MAX_CONNECTIONS_PER_USER connections (event streams, WebSockets, long polls) already, or opened them faster than 10 a second after a burst that big (see cap). */
                429: {
                    headers: {
                        /** @description Seconds until the job is worth asking about again. */
                        "Retry-After": string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The job failed: problem details with jobId, state, attempts and attemptErrors. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The database is unreachable; nothing was written. Retry after Retry-After seconds. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Cancel the job */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Cancelled (also when it already was). */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["JobStatus"];
                    };
                };
                /** @description No session cookie or API token, or a revoked token. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such job. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The job has finished. */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/jobs/{id}/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Make a read-only token for this job, for a browser to follow it
         * @description The token (Authorization: Bearer ajt_…, or ?access_token= where headers cannot be sent: a WebSocket, an EventSource) reads this job's status monitor (long polls included), its events (SSE, or a WebSocket at /api/events that hears this job only) and its result, until it expires. Any other job is a 404; anything that is not one of those reads is a 403 (/problems/read-only-job-token). The job's owner or an admin may make one.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": components["schemas"]["JobTokenRequest"];
                };
            };
            responses: {
                /** @description The token, shown once. */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["JobToken"];
                    };
                };
                /** @description Malformed JSON. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No session cookie or API token, or a revoked token. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Sent with a job token: a job token cannot make another. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such job of yours. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The body is not JSON. */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description expiresInSeconds out of range, or an unknown member. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/jobs/{id}/logs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The job's own log, oldest first
         * @description What its handler logged, attempt by attempt (at most 1,000 lines and 256 KB an attempt, then one line saying how many were dropped). links.next reads on from the last line; it is null once the job has finished and every line is read. With Prefer: wait=N, a page that would be empty waits up to N seconds for a line (or the job's end).
         */
        get: {
            parameters: {
                query?: {
                    limit?: number;
                    /** @description Lines after this one (links.next carries it). */
                    cursor?: string;
                    /** @description This level and the more severe ones. */
                    level?: "debug" | "info" | "warn" | "error";
                    attempt?: number;
                };
                header?: {
                    /** @description wait=N (at most 60): a long poll on the cursor. */
                    Prefer?: string;
                };
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of lines. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["JobLogPage"];
                    };
                };
                /** @description No session cookie or API token, or a revoked token. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such job (or not yours). */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description A bad limit, cursor, level or attempt. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description You hold REALTIME_MAX_CONNECTIONS_PER_USER connections (event streams, WebSockets, long polls) already, or opened them faster than 10 a second after a burst that big (see cap). */
                429: {
                    headers: {
                        /** @description Seconds until the job is worth asking about again. */
                        "Retry-After": string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/jobs/{id}/result": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The result of a succeeded job */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description JSON, or a file with its Content-Type and Content-Disposition. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description No session cookie or API token, or a revoked token. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such job, or a job type whose result is its effect (result.kind none). */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The job has not succeeded (yet). */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The job expired and its result was deleted. */
                410: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/jobs/{id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Server-Sent Events for one job */
        get: {
            parameters: {
                query?: {
                    /** @description true: its log's lines too, as `event: log`; ids are then `<version>.<last line id>`. */
                    logs?: "true" | "false";
                };
                header?: {
                    "Last-Event-ID"?: string;
                };
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description event: job, id: the version, data: a JobStatus; with ?logs=true also event: log, data: a JobLogLine; closes after the final state. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/event-stream": string;
                    };
                };
                /** @description No session cookie or API token, or a revoked token. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such job. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description You hold REALTIME_MAX_CONNECTIONS_PER_USER connections (event streams, WebSockets, long polls) already, or opened them faster than 10 a second after a burst that big (see cap). */
                429: {
                    headers: {
                        /** @description Seconds until the job is worth asking about again. */
                        "Retry-After": string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List your jobs, newest first */
        get: {
            parameters: {
                query?: {
                    state?: string;
                    type?: string;
                    /** @description A batch's id: only its jobs; `none`: only jobs submitted alone. */
                    batch?: "none" | string;
                    /** @description A schedule's id: only the jobs its firings made. */
                    schedule?: string;
                    limit?: number;
                    cursor?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of jobs; links.next (and a Link header) leads to the next page. */
                200: {
                    headers: {
                        "Retry-After"?: string;
                        Link?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["JobList"];
                    };
                };
                /** @description No session cookie or API token, or a revoked token. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description A bad state, limit or cursor. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The database is unreachable; nothing was written. Retry after Retry-After seconds. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /** Submit a job */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description A quoted string; repeating it with the same request returns the same job for 24 hours. */
                    "Idempotency-Key"?: string;
                    /** @description wait=N (0 to 10, more counts as 10): if the job finishes within N seconds, the answer is what its status URI would then say (303 to the result, or the failure's problem details), with Content-Location naming that URI; otherwise 202. Preference-Applied: wait=N either way. A malformed N is a 400 and nothing is written. */
                    Prefer?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        /** @constant */
                        type: "demo.steps";
                        input: {
                            /**
                             * Steps
                             * @description How many steps the job takes.
                             * @default 10
                             */
                            steps?: number;
                            /**
                             * Step duration (ms)
                             * @description How long each step takes.
                             * @default 500
                             */
                            stepMs?: number;
                            /**
                             * Fail at step
                             * @description Attempts fail when they reach this step.
                             */
                            failAtStep?: number;
                            /**
                             * Failing attempts
                             * @description How many attempts fail at that step; later ones succeed. All of them when left empty.
                             */
                            failingAttempts?: number;
                        };
                        /**
                         * @description Email the submitter (with a link to the job) when it succeeds, fails or is cancelled.
                         * @default false
                         */
                        notifyWhenDone?: boolean;
                        /**
                         * Format: date-time
                         * @description Not started by then (a paused type, a long queue), it is cancelled instead, saying why.
                         */
                        startBy?: string;
                        /** @description Not before this: an instant (with its offset), or a delay in seconds. The job is `scheduled` until then, up to a year ahead; it holds a place in your cap of unfinished jobs meanwhile. */
                        runAt?: string | number;
                        /** @description While a job of yours with this key is unfinished, submitting again answers 200 with that job rather than making another. */
                        concurrencyKey?: string;
                    } | {
                        /** @constant */
                        type: "jobs.export";
                        input: {
                            /**
                             * State
                             * @description Only jobs in this state; all states when left empty.
                             * @enum {string}
                             */
                            state?: "scheduled" | "queued" | "running" | "succeeded" | "failed" | "cancelled";
                            /**
                             * Job type
                             * @description Only jobs of this type, e.g. demo.steps.
                             */
                            type?: string;
                        };
                        /**
                         * @description Email the submitter (with a link to the job) when it succeeds, fails or is cancelled.
                         * @default false
                         */
                        notifyWhenDone?: boolean;
                        /**
                         * Format: date-time
                         * @description Not started by then (a paused type, a long queue), it is cancelled instead, saying why.
                         */
                        startBy?: string;
                        /** @description Not before this: an instant (with its offset), or a delay in seconds. The job is `scheduled` until then, up to a year ahead; it holds a place in your cap of unfinished jobs meanwhile. */
                        runAt?: string | number;
                        /** @description While a job of yours with this key is unfinished, submitting again answers 200 with that job rather than making another. */
                        concurrencyKey?: string;
                    } | {
                        /** @constant */
                        type: "notify.email";
                        input: {
                            /**
                             * To
                             * Format: email
                             * @description The recipient's email address.
                             */
                            to: string;
                            /** Subject */
                            subject: string;
                            /**
                             * Message
                             * @description Plain text.
                             */
                            message: string;
                        };
                        /**
                         * @description Email the submitter (with a link to the job) when it succeeds, fails or is cancelled.
                         * @default false
                         */
                        notifyWhenDone?: boolean;
                        /**
                         * Format: date-time
                         * @description Not started by then (a paused type, a long queue), it is cancelled instead, saying why.
                         */
                        startBy?: string;
                        /** @description Not before this: an instant (with its offset), or a delay in seconds. The job is `scheduled` until then, up to a year ahead; it holds a place in your cap of unfinished jobs meanwhile. */
                        runAt?: string | number;
                        /** @description While a job of yours with this key is unfinished, submitting again answers 200 with that job rather than making another. */
                        concurrencyKey?: string;
                    } | {
                        /** @constant */
                        type: "email.bulk";
                        input: {
                            /**
                             * Recipients (CSV)
                             * Format: uuid
                             * @description A CSV file with an email column, at most 1 MiB and 5,000 rows.
                             */
                            recipients: string;
                            /**
                             * Subject
                             * @description May use {{placeholders}}.
                             */
                            subject: string;
                            /**
                             * Message
                             * @description Plain text; {{name}} becomes the row's name column.
                             */
                            template: string;
                        };
                        /**
                         * @description Email the submitter (with a link to the job) when it succeeds, fails or is cancelled.
                         * @default false
                         */
                        notifyWhenDone?: boolean;
                        /**
                         * Format: date-time
                         * @description Not started by then (a paused type, a long queue), it is cancelled instead, saying why.
                         */
                        startBy?: string;
                        /** @description Not before this: an instant (with its offset), or a delay in seconds. The job is `scheduled` until then, up to a year ahead; it holds a place in your cap of unfinished jobs meanwhile. */
                        runAt?: string | number;
                        /** @description While a job of yours with this key is unfinished, submitting again answers 200 with that job rather than making another. */
                        concurrencyKey?: string;
                    };
                };
            };
            responses: {
                /** @description An unfinished job of yours holds this concurrencyKey: that job, not a new one (or, after Prefer: wait, a job that finished with no result resource). */
                200: {
                    headers: {
                        /** @description The job's status monitor. */
                        Location: string;
                        "Retry-After"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["JobStatus"];
                    };
                };
                /** @description Accepted: the job is queued. Follow Location. */
                202: {
                    headers: {
                        /** @description The status monitor. */
                        Location: string;
                        /** @description Seconds until the job is worth asking about again. */
                        "Retry-After": string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["JobStatus"];
                    };
                };
                /** @description With Prefer: wait=N, the job succeeded within N seconds: the result is at Location. */
                303: {
                    headers: {
                        /** @description The result resource. */
                        Location: string;
                        /** @description The job's status monitor. */
                        "Content-Location": string;
                        /** @description wait=N */
                        "Preference-Applied": string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["JobStatus"];
                    };
                };
                /** @description Malformed JSON, a malformed Idempotency-Key, or a Prefer: wait that is not whole seconds. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No session cookie or API token, or a revoked token. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The body is over 64 KiB. */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The body is not JSON. */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unknown type, input failing the type's schema (see errors), or a reused Idempotency-Key. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description You have as many unfinished jobs as your cap allows (see cap, unfinished); nothing was written. */
                429: {
                    headers: {
                        /** @description Seconds until the job is worth asking about again. */
                        "Retry-After": string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description With Prefer: wait=N, the job failed within N seconds: its problem details, as its status URI answers. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The database is unreachable; nothing was written. Retry after Retry-After seconds. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/jobs/{id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Run a failed job again */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Accepted: the job is queued. Follow Location. */
                202: {
                    headers: {
                        /** @description The status monitor. */
                        Location: string;
                        /** @description Seconds until the job is worth asking about again. */
                        "Retry-After": string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["JobStatus"];
                    };
                };
                /** @description No session cookie or API token, or a revoked token. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such job. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The job has not failed. */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/batches/{id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Server-Sent Events for one batch */
        get: {
            parameters: {
                query?: never;
                header?: {
                    "Last-Event-ID"?: string;
                };
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description event: batch, id: its version, data: a BatchStatus; closes once every job has finished. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/event-stream": string;
                    };
                };
                /** @description No session cookie or API token, or a revoked token. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such batch, or not yours. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description You hold REALTIME_MAX_CONNECTIONS_PER_USER connections (event streams, WebSockets, long polls) already, or opened them faster than 10 a second after a burst that big (see cap). */
                429: {
                    headers: {
                        /** @description Seconds until the job is worth asking about again. */
                        "Retry-After": string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/batches/{id}/result": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Each job's final state and result link */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Every job has finished. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["BatchResult"];
                    };
                };
                /** @description No session cookie or API token, or a revoked token. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such batch, or not yours. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Some jobs have not finished; follow the batch's status monitor (Link rel=monitor). */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/batches/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The batch's status monitor */
        get: {
            parameters: {
                query?: {
                    /** @description false: always answer 200 with the status itself, instead of 303 to the result (or a failed job's problem). */
                    redirect?: "true" | "false";
                };
                header?: {
                    /** @description W/"<version>" you have: 304 while unchanged. */
                    "If-None-Match"?: string;
                    /** @description wait=N (at most 60): with If-None-Match, a long poll. */
                    Prefer?: string;
                };
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Some jobs unfinished (or ?redirect=false): counts per state, progress, an ETA. */
                200: {
                    headers: {
                        /** @description The job's version as a weak entity tag, W/"<version>". */
                        ETag: string;
                        "Retry-After"?: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["BatchStatus"];
                    };
                };
                /** @description Every job has finished: the batch's result is at Location. */
                303: {
                    headers: {
                        /** @description The batch's result. */
                        Location: string;
                        /** @description The job's version as a weak entity tag, W/"<version>". */
                        ETag: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["BatchStatus"];
                    };
                };
                /** @description Unchanged since the version named in If-None-Match (after waiting, with Prefer). */
                304: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description No session cookie or API token, or a revoked token. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such batch, or not yours. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description You hold REALTIME_MAX_CONNECTIONS_PER_USER connections (event streams, WebSockets, long polls) already, or opened them faster than 10 a second after a burst that big (see cap). */
                429: {
                    headers: {
                        /** @description Seconds until the job is worth asking about again. */
                        "Retry-After": string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Cancel every job of the batch that has not finished */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The batch after the cancel (finished jobs are as they were). */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["BatchStatus"];
                    };
                };
                /** @description No session cookie or API token, or a revoked token. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such batch, or not yours. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/batches": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your latest 25 batches, newest first */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Each batch's status. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["BatchStatus"][];
                        };
                    };
                };
                /** @description No session cookie or API token, or a revoked token. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Submit up to 1000 jobs as one accepted operation
         * @description Every item is validated first; one bad item refuses the batch (a 422 naming each bad item by index and path) and nothing is written. Otherwise every job and queue entry is written in one statement. The batch must fit under your cap on unfinished jobs as a whole. Its jobs are ordinary jobs (their own status URIs and events).
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description A quoted string; repeating it with the same request returns the same batch for 24 hours. */
                    "Idempotency-Key"?: string;
                    /** @description wait=N (0 to 10, more counts as 10): if the batch finishes within N seconds, the answer is what its status URI would then say (303 to the result, or the failure's problem details), with Content-Location naming that URI; otherwise 202. Preference-Applied: wait=N either way. A malformed N is a 400 and nothing is written. */
                    Prefer?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        jobs: {
                            type: string;
                            /** @default {} */
                            input?: {
                                [key: string]: unknown;
                            };
                            /** @description Not before this: an instant (with its offset), or a delay in seconds. The job is `scheduled` until then, up to a year ahead; it holds a place in your cap of unfinished jobs meanwhile. */
                            runAt?: string | number;
                        }[];
                    };
                };
            };
            responses: {
                /** @description Accepted: every job is queued. Follow Location. */
                202: {
                    headers: {
                        /** @description The batch's status monitor. */
                        Location: string;
                        /** @description Seconds until the job is worth asking about again. */
                        "Retry-After": string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["BatchStatus"];
                    };
                };
                /** @description With Prefer: wait=N, every job finished within N seconds: the batch's result is at Location. */
                303: {
                    headers: {
                        /** @description The batch's result. */
                        Location: string;
                        /** @description The batch's status monitor. */
                        "Content-Location": string;
                        /** @description wait=N */
                        "Preference-Applied": string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["BatchStatus"];
                    };
                };
                /** @description Malformed JSON, a malformed Idempotency-Key, or a Prefer: wait that is not whole seconds. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No session cookie or API token, or a revoked token. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The body is over 1 MiB. */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The body is not JSON. */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Items that are not valid (errors: each with its path, ["jobs", index, …]); nothing was written. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The batch does not fit under your cap on unfinished jobs (see cap, unfinished); nothing was written. */
                429: {
                    headers: {
                        /** @description Seconds until the job is worth asking about again. */
                        "Retry-After": string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The database is unreachable; nothing was written. Retry after Retry-After seconds. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/schedules": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your schedules, newest first */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Every one (there are at most a few). */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["Schedule"][];
                        };
                    };
                };
                /** @description No session cookie or API token, or a revoked token. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Make a schedule: a job of this type and input at every firing of the cron
         * @description Each firing makes one ordinary job (its scheduleId names the schedule; webhooks, logs and the rest as for any job), exactly once however many workers run. Firings missed while no worker ran make one late run, then it goes on from now. At most 20 schedules a user; each run counts against your cap of unfinished jobs (a firing over it makes nothing, lastOutcome over-cap).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": components["schemas"]["ScheduleRequest"];
                };
            };
            responses: {
                /** @description Made; its first firing is queued. */
                201: {
                    headers: {
                        /** @description The schedule. */
                        Location: string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Schedule"];
                    };
                };
                /** @description Malformed JSON. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No session cookie or API token, or a revoked token. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The body is not JSON. */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description An unknown type, input its schema refuses, a cron that cannot be read or never fires, an unknown time zone, or too many schedules. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/schedules/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A schedule, with its next firings */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The schedule. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Schedule"];
                    };
                };
                /** @description No session cookie or API token, or a revoked token. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such schedule of yours. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete a schedule (the jobs it made stay) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Deleted; its pending firing too. */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description No session cookie or API token, or a revoked token. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such schedule of yours. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /**
         * Change, pause or resume a schedule
         * @description A new cron or time zone, or a resume, counts from now. Its type stays: make another schedule for another.
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": components["schemas"]["ScheduleChange"];
                };
            };
            responses: {
                /** @description As it is now. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Schedule"];
                    };
                };
                /** @description Malformed JSON. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No session cookie or API token, or a revoked token. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such schedule of yours. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The body is not JSON. */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description A bad field (as for a new schedule), or one that cannot change (type). */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/schedules/{id}/runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The jobs a schedule's firings made, newest first
         * @description A page of the job list (GET /api/jobs?schedule=<id>), with links.next.
         */
        get: {
            parameters: {
                query?: {
                    state?: string;
                    type?: string;
                    limit?: number;
                    cursor?: string;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of jobs. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["JobList"];
                    };
                };
                /** @description No session cookie or API token, or a revoked token. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such schedule of yours. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description A bad state, limit or cursor. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/uploads": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Upload a CSV for a job to read */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "multipart/form-data": {
                        /**
                         * Format: binary
                         * @description The CSV, at most 1 MiB.
                         */
                        file: string;
                    };
                };
            };
            responses: {
                /** @description Stored and checked: name its id in a job's input. */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Upload"];
                    };
                };
                /** @description A malformed multipart body. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No session cookie or API token, or a revoked token. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Over 1 MiB. */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not multipart/form-data. */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No file field, or a file that is not a usable CSV (UTF-8, an email column, 1–5,000 rows). */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/mailbox": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The local mailbox: messages your jobs sent while no SMTP server is configured */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The latest 100 messages, newest first. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Mailbox"];
                    };
                };
                /** @description No session cookie or API token, or a revoked token. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/account/usage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** How many unfinished jobs you have, and the most you may have at once */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Your unfinished jobs and your cap. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["UnfinishedJobs"];
                    };
                };
                /** @description No session cookie or API token, or a revoked token. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The latest 100 admin actions */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Who did what, when, to which jobs. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: number;
                                /** Format: date-time */
                                at: string;
                                actorEmail: string;
                                action: string;
                                jobIds: string[];
                                detail: {
                                    [key: string]: unknown;
                                };
                            }[];
                        };
                    };
                };
                /** @description No session cookie or API token, or a revoked token. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not an admin (the admin API answers as if it did not exist). */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/bulk": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Retry or cancel many jobs, by id or by filter, as a job of its own (audited) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        /** @enum {string} */
                        action: "retry" | "cancel";
                        jobIds?: string[];
                        filter?: {
                            state?: string;
                            type?: string;
                            /** @description A batch's id: only its jobs; `none`: only jobs submitted alone. */
                            batch?: "none" | string;
                            /**
                             * Format: uuid
                             * @description A schedule's id: only the jobs its firings made.
                             */
                            schedule?: string;
                            /** @description A user's email or id. */
                            owner?: string;
                            /**
                             * Format: date-time
                             * @description Created at or after.
                             */
                            from?: string;
                            /**
                             * Format: date-time
                             * @description Created before.
                             */
                            to?: string;
                            /** @description Words to find in the input or error JSON. */
                            q?: string;
                        };
                    };
                };
            };
            responses: {
                /** @description Accepted: the job is queued. Follow Location. */
                202: {
                    headers: {
                        /** @description The status monitor. */
                        Location: string;
                        /** @description Seconds until the job is worth asking about again. */
                        "Retry-After": string;
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["JobStatus"];
                    };
                };
                /** @description Malformed JSON. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No session cookie or API token, or a revoked token. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not an admin (the admin API answers as if it did not exist). */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The body is not JSON. */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not a bulk action this API knows. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/job-types/{type}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Pause or resume a job type, or set how many of its jobs run at once (audited)
         * @description A paused type keeps accepting submits; its queued jobs wait, with `paused: true`, until it is resumed. The limit holds across all workers; jobs already running when it is lowered finish.
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    type: string;
                };
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        paused?: boolean;
                        concurrencyLimit?: number | null;
                        /** @description An attempt's time limit in ms (1 s to 24 h); null: the type's own. */
                        timeoutMs?: number | null;
                    };
                };
            };
            responses: {
                /** @description The type's queue after the change. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["JobTypeQueue"];
                    };
                };
                /** @description Malformed JSON. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No session cookie or API token, or a revoked token. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such job type. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The body is not JSON. */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Neither paused nor concurrencyLimit, or a limit outside 1–1000. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/admin/jobs/{id}/expire": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Purge a finished job's result now (audited) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Expired (also when it already was). */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["JobStatus"];
                    };
                };
                /** @description No session cookie or API token, or a revoked token. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such job. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The job has not finished. */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/jobs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One job, its owner and its timeline of state changes */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The job as an admin sees it. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            job: components["schemas"]["JobStatus"];
                            ownerEmail: string | null;
                            timeline: {
                                /** Format: date-time */
                                at: string;
                                /** @enum {string} */
                                state: "scheduled" | "queued" | "running" | "succeeded" | "failed" | "cancelled";
                                attempt: number;
                                detail: string | null;
                            }[];
                        };
                    };
                };
                /** @description No session cookie or API token, or a revoked token. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such job. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/job-types": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Each job type's queue: queued, running, paused, and its concurrency limit */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Every job type. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["JobTypeQueue"][];
                        };
                    };
                };
                /** @description No session cookie or API token, or a revoked token. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not an admin (the admin API answers as if it did not exist). */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every owner's jobs: filtered, searched, sorted, cursor-paginated */
        get: {
            parameters: {
                query?: {
                    state?: string;
                    type?: string;
                    /** @description A batch's id: only its jobs; `none`: only jobs submitted alone. */
                    batch?: "none" | string;
                    /** @description A schedule's id: only the jobs its firings made. */
                    schedule?: string;
                    /** @description A user's email or id. */
                    owner?: string;
                    /** @description Created at or after. */
                    from?: string;
                    /** @description Created before. */
                    to?: string;
                    /** @description Words to find in the input or error JSON. */
                    q?: string;
                    sort?: "created-desc" | "created-asc" | "updated-desc";
                    limit?: number;
                    cursor?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description A page of jobs with their owners' emails; links.next leads on. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["AdminJob"][];
                            links: {
                                next: string | null;
                            };
                        };
                    };
                };
                /** @description No session cookie or API token, or a revoked token. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not an admin (the admin API answers as if it did not exist). */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description A bad filter, sort, limit or cursor. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/overview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Counts by state, the queue, the last hour per minute, and the live workers */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The overview. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            counts: {
                                [key: string]: number;
                            };
                            queueDepth: number;
                            oldestQueuedAgeSeconds: number | null;
                            perMinute: {
                                minute: string;
                                succeeded: number;
                                failed: number;
                            }[];
                            workers: {
                                pools: number;
                                hostname: string;
                                pid: number;
                                /** Format: date-time */
                                startedAt: string;
                                /** Format: date-time */
                                lastSeenAt: string;
                            }[];
                            types: components["schemas"]["JobTypeQueue"][];
                            /** @description The users with the most unfinished jobs, and those with a cap of their own. */
                            owners: components["schemas"]["OwnerUnfinishedJobs"][];
                        };
                    };
                };
                /** @description No session cookie or API token, or a revoked token. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not an admin (the admin API answers as if it did not exist). */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/users/{id}/job-cap": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Set how many unfinished jobs one user may have (audited); null restores the default */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        maxUnfinishedJobs: number | null;
                    };
                };
            };
            responses: {
                /** @description The user's cap and unfinished jobs now. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["OwnerUnfinishedJobs"];
                    };
                };
                /** @description Malformed JSON. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No session cookie or API token, or a revoked token. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such user. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The body is not JSON. */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not a whole number from 0 to 1,000,000, or null. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Readiness (the same as /api/health/ready)
         * @description For a load balancer: 200 while this process can serve (its database answers and it is not draining), else 503.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Ready. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @constant */
                            status: "ok";
                        };
                    };
                };
                /** @description The database is unreachable, or the process is stopping; Retry-After says when to look again. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/health/live": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness: the process answers (no database involved) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Alive. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @constant */
                            status: "alive";
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Prometheus metrics
         * @description Jobs by state and type, queue depth and age, durations, live workers, HTTP latencies.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Prometheus text format. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/plain": string;
                    };
                };
                /** @description No session cookie or API token, or a revoked token. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not an admin (the admin API answers as if it did not exist). */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This document */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description OpenAPI 3.1. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/health/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Readiness
         * @description For a load balancer: 200 while this process can serve (its database answers and it is not draining), else 503.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Ready. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @constant */
                            status: "ok";
                        };
                    };
                };
                /** @description The database is unreachable, or the process is stopping; Retry-After says when to look again. */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/webhook-deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every user's latest 100 webhook deliveries */
        get: {
            parameters: {
                query?: {
                    state?: "pending" | "delivered" | "failed";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Newest first. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["WebhookDelivery"][];
                        };
                    };
                };
                /** @description No session cookie or API token, or a revoked token. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not an admin (the admin API answers as if it did not exist). */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description A bad state. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your webhook endpoints */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Newest first. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["WebhookEndpoint"][];
                        };
                    };
                };
                /** @description No session cookie or API token, or a revoked token. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Add a webhook endpoint
         * @description The URL is checked (https, and no private, loopback, link-local or metadata address unless the operator allows them) and sent a signed webhook.ping, which must not answer with a redirect.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": components["schemas"]["WebhookEndpointCreate"];
                };
            };
            responses: {
                /** @description Saved. Keep the secret: it is not shown again. */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            endpoint: components["schemas"]["WebhookEndpoint"];
                            /** @description The signing secret (whsec_…): shown now and never again. */
                            secret: string;
                            ping: components["schemas"]["WebhookPing"];
                        };
                    };
                };
                /** @description Malformed JSON. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No session cookie or API token, or a revoked token. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The body is not JSON. */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description A bad field, an unknown job type, too many endpoints, or a URL refused (/problems/webhook-url-refused). */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhooks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One webhook endpoint */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The endpoint (without its secret). */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["WebhookEndpoint"];
                    };
                };
                /** @description No session cookie or API token, or a revoked token. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such endpoint of yours. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete a webhook endpoint and its delivery log */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Deleted. */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description No session cookie or API token, or a revoked token. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such endpoint of yours. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /**
         * Change a webhook endpoint: URL, events, job types, enabled
         * @description A new URL is checked as at creation. Enabling a disabled endpoint sends what waited for it.
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": components["schemas"]["WebhookEndpointUpdate"];
                };
            };
            responses: {
                /** @description The endpoint as it now is. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            endpoint: components["schemas"]["WebhookEndpoint"];
                            ping: components["schemas"]["WebhookPing"] | null;
                        };
                    };
                };
                /** @description Malformed JSON. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No session cookie or API token, or a revoked token. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such endpoint of yours. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The body is not JSON. */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description A bad field, an unknown job type, or a URL refused. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/webhooks/{id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The endpoint's latest 50 deliveries, each with its attempts */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Newest first. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["WebhookDelivery"][];
                        };
                    };
                };
                /** @description No session cookie or API token, or a revoked token. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such endpoint of yours. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/jobs/{id}/webhook-deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The webhook deliveries of your job's events */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Newest first. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["WebhookDelivery"][];
                        };
                    };
                };
                /** @description No session cookie or API token, or a revoked token. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such job of yours. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhooks/{id}/deliveries/{deliveryId}/redeliver": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a delivery again: the same message, with the same webhook-id */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                    deliveryId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Queued. */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description No session cookie or API token, or a revoked token. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such delivery of yours. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhooks/{id}/secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate the signing secret
         * @description Every delivery from now on, retries included, is signed with the new secret only.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The new secret, shown once. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description The signing secret (whsec_…): shown now and never again. */
                            secret: string;
                        };
                    };
                };
                /** @description No session cookie or API token, or a revoked token. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such endpoint of yours. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/webhooks/{id}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a webhook.test event to the endpoint */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Queued; it appears in the delivery log. */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: uuid */
                            deliveryId: string;
                        };
                    };
                };
                /** @description No session cookie or API token, or a revoked token. */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description No such endpoint of yours. */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        JobTokenRequest: {
            /**
             * @description How long the token works: 60 s to 24 h; 1 h unless given.
             * @default 3600
             */
            expiresInSeconds: number;
        };
        ScheduleRequest: {
            type: string;
            /** @default {} */
            input: {
                [key: string]: unknown;
            };
            /** @description Five fields (minute hour day-of-month month weekday), or six with seconds first: "0 9 * * MON-FRI", "*\/30 * * * * *". A time a spring-forward day skips fires once when the clock jumps; one a fall-back day repeats fires once, the first time. */
            cron: string;
            /**
             * @description An IANA time zone: "Europe/Paris", "UTC".
             * @default UTC
             */
            timezone: string;
            /** @default null */
            concurrencyKey: string | null;
        };
        ScheduleChange: {
            input?: {
                [key: string]: unknown;
            };
            /** @description Five fields (minute hour day-of-month month weekday), or six with seconds first: "0 9 * * MON-FRI", "*\/30 * * * * *". A time a spring-forward day skips fires once when the clock jumps; one a fall-back day repeats fires once, the first time. */
            cron?: string;
            /** @description An IANA time zone: "Europe/Paris", "UTC". */
            timezone?: string;
            concurrencyKey?: string | null;
            /** @description true pauses it; false resumes it from now (missed firings are not made up). */
            paused?: boolean;
        };
        WebhookEndpointCreate: {
            /** @description https:// (http:// only to hosts the operator allows). */
            url: string;
            /** @default  */
            description: string;
            /**
             * @default [
             *       "job.succeeded",
             *       "job.failed",
             *       "job.cancelled"
             *     ]
             */
            events: ("job.succeeded" | "job.failed" | "job.cancelled" | "job.progress")[];
            /**
             * @description Only jobs of these types; null (the default) for every type.
             * @default null
             */
            jobTypes: string[] | null;
            /** @default true */
            enabled: boolean;
        };
        WebhookEndpointUpdate: {
            /** @description https:// (http:// only to hosts the operator allows). */
            url?: string;
            description?: string;
            events?: ("job.succeeded" | "job.failed" | "job.cancelled" | "job.progress")[];
            /** @description Only jobs of these types; null (the default) for every type. */
            jobTypes?: string[] | null;
            enabled?: boolean;
        };
        /** @description RFC 9457 problem details; some problems add members (jobId, state, errors…). */
        Problem: {
            /** @description A URI reference under /problems/ naming the kind of problem. */
            type: string;
            title: string;
            status: number;
            detail?: string;
            instance?: string;
        } & {
            [key: string]: unknown;
        };
        /** @description The status representation, the same in every answer that carries a job. */
        JobStatus: {
            /** Format: uuid */
            id: string;
            type: string;
            title: string;
            /** @enum {string} */
            state: "scheduled" | "queued" | "running" | "succeeded" | "failed" | "cancelled";
            /** @description Not started and waiting because an admin paused its type; it starts once the type is resumed. */
            paused: boolean;
            /** @description Grows with every change; the ETag and the SSE event id. */
            version: number;
            progress: number;
            message: string | null;
            attempts: number;
            maxAttempts: number;
            attemptErrors: components["schemas"]["AttemptError"][];
            input: {
                [key: string]: unknown;
            };
            /** @description The batch it was submitted in, if any. */
            batchId: string | null;
            /** @description Its submitter is emailed when it finishes. */
            notifyWhenDone: boolean;
            /** @description The OpenTelemetry trace its submit began, when the server exports traces. */
            traceId: string | null;
            /** @description Still queued at this time, it is cancelled rather than started (its submitter asked). */
            startBy: string | null;
            /** @description Not started before this: the job is scheduled until then (its submit's runAt, or its schedule's firing). */
            runAt: string | null;
            /** @description While this job is unfinished, a submit of its owner with this key answers with it. */
            concurrencyKey: string | null;
            /** @description The schedule whose firing made it, if one did. */
            scheduleId: string | null;
            /** Format: date-time */
            createdAt: string;
            startedAt: string | null;
            /** Format: date-time */
            updatedAt: string;
            finishedAt: string | null;
            estimatedCompletionAt: string | null;
            retryAt: string | null;
            result: ({
                /** @constant */
                kind: "none";
            } | {
                /** @constant */
                kind: "json";
            } | {
                /** @constant */
                kind: "file";
                filename: string;
                contentType: string;
                size: number;
            }) | null;
            error: components["schemas"]["Problem"] | null;
            cancelledAt: string | null;
            cancelledBy: string | null;
            /** @description When a finished job and its result stop being kept. */
            expiresAt: string | null;
            /** @description Set once expired: the result is deleted and the status URI answers 410. */
            expiredAt: string | null;
            links: {
                self: string;
                batch?: string;
                schedule?: string;
                result?: string;
                cancel?: string;
                retry?: string;
            };
        };
        AttemptError: {
            attempt: number;
            message: string;
            /** Format: date-time */
            failedAt: string;
            durationMs: number;
        };
        JobToken: {
            token: string;
            /** Format: uuid */
            jobId: string;
            /** Format: date-time */
            expiresAt: string;
        };
        JobLogPage: {
            items: components["schemas"]["JobLogLine"][];
            links: {
                next: string | null;
            };
        };
        /** @description One line of a job's own log, as its handler's logger wrote it. */
        JobLogLine: {
            /** @description Orders a job's lines; the cursor to read on from. */
            id: number;
            /** Format: date-time */
            at: string;
            /** @enum {string} */
            level: "debug" | "info" | "warn" | "error";
            message: string;
            /** @description The structured fields logged with it. */
            fields: {
                [key: string]: unknown;
            } | null;
            attempt: number;
        };
        JobList: {
            items: components["schemas"]["JobStatus"][];
            links: {
                next: string | null;
            };
        };
        /** @description Each job's final state and its result link, in the order they were sent. */
        BatchResult: {
            /** Format: uuid */
            id: string;
            size: number;
            counts: {
                scheduled: number;
                queued: number;
                running: number;
                succeeded: number;
                failed: number;
                cancelled: number;
            };
            items: {
                /** Format: uuid */
                id: string;
                type: string;
                /** @enum {string} */
                state: "scheduled" | "queued" | "running" | "succeeded" | "failed" | "cancelled";
                error: components["schemas"]["Problem"] | null;
                links: {
                    self: string;
                    result?: string;
                };
            }[];
        };
        /** @description A batch's status: its jobs counted by state. */
        BatchStatus: {
            /** Format: uuid */
            id: string;
            /**
             * @description queued: no job has started; finished: every job has succeeded, failed or been cancelled.
             * @enum {string}
             */
            state: "queued" | "running" | "finished";
            size: number;
            counts: {
                scheduled: number;
                queued: number;
                running: number;
                succeeded: number;
                failed: number;
                cancelled: number;
            };
            /** @description Scheduled and queued jobs waiting because an admin paused their type. */
            paused: number;
            /** @description Finished jobs count 100, the others their own progress. */
            progress: number;
            /** @description Grows with every change to any of its jobs; the ETag and the SSE id. */
            version: number;
            /** Format: date-time */
            createdAt: string;
            finishedAt: string | null;
            estimatedCompletionAt: string | null;
            links: {
                self: string;
                /** @description Its jobs, as the job list (GET /api/jobs?batch=<id>). */
                jobs: string;
                result?: string;
                cancel?: string;
            };
        };
        /** @description A recurring job: its type and input, made at each firing of its cron. */
        Schedule: {
            /** Format: uuid */
            id: string;
            type: string;
            title: string;
            input: {
                [key: string]: unknown;
            };
            cron: string;
            /** @description The IANA time zone its cron is read in. */
            timezone: string;
            /** @description Given to each run: a firing while a run with this key is unfinished makes no second job. */
            concurrencyKey: string | null;
            paused: boolean;
            /** @description Its next firing; null while paused (or when it has run out). */
            nextRunAt: string | null;
            /** @description The next 5 firings, in UTC. */
            upcoming: string[];
            lastFiredAt: string | null;
            lastJobId: string | null;
            /** @description created: a job was made; already-running: its concurrency key was held, that job stands for it; over-cap: you had as many unfinished jobs as your cap allows; unknown-type: its type is gone. */
            lastOutcome: ("created" | "already-running" | "over-cap" | "invalid-input" | "owner-banned" | "unknown-type") | null;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            links: {
                self: string;
                /** @description The jobs its firings made, newest first. */
                runs: string;
                lastJob?: string;
            };
        };
        Upload: {
            /**
             * Format: uuid
             * @description What a job's input names (e.g. email.bulk's recipients).
             */
            id: string;
            filename: string;
            columns: string[];
            rows: number;
            size: number;
        };
        Mailbox: {
            /**
             * @description Where mail goes now.
             * @enum {string}
             */
            delivery: "smtp" | "mailbox";
            items: {
                /** Format: uuid */
                id: string;
                /** @description The job that sent it; null for a message from Accepted itself. */
                jobId: string | null;
                messageId: string;
                from: string;
                to: string;
                subject: string;
                text: string;
                /** @description The RFC 5322 message as it would have been sent. */
                raw: string;
                /** Format: date-time */
                createdAt: string;
            }[];
        };
        UnfinishedJobs: {
            /** @description Scheduled, queued and running jobs. */
            unfinished: number;
            /** @description The most unfinished jobs at once; past it a submit is a 429. */
            cap: number;
            /** @description Whether an admin set this cap rather than the default. */
            customCap: boolean;
        };
        JobTypeQueue: {
            type: string;
            title: string;
            queued: number;
            running: number;
            paused: boolean;
            /** @description Most of its jobs running at once, across all workers. */
            concurrencyLimit: number | null;
            /** @description How long one attempt may run (an admin's limit, or the type's own). */
            timeoutMs: number;
            /** @description Whether an admin set timeoutMs. */
            customTimeout: boolean;
        };
        AdminJob: {
            /** Format: uuid */
            id: string;
            type: string;
            title: string;
            /** @enum {string} */
            state: "scheduled" | "queued" | "running" | "succeeded" | "failed" | "cancelled";
            /** @description Not started and waiting because an admin paused its type; it starts once the type is resumed. */
            paused: boolean;
            /** @description Grows with every change; the ETag and the SSE event id. */
            version: number;
            progress: number;
            message: string | null;
            attempts: number;
            maxAttempts: number;
            attemptErrors: components["schemas"]["AttemptError"][];
            input: {
                [key: string]: unknown;
            };
            /** @description The batch it was submitted in, if any. */
            batchId: string | null;
            /** @description Its submitter is emailed when it finishes. */
            notifyWhenDone: boolean;
            /** @description The OpenTelemetry trace its submit began, when the server exports traces. */
            traceId: string | null;
            /** @description Still queued at this time, it is cancelled rather than started (its submitter asked). */
            startBy: string | null;
            /** @description Not started before this: the job is scheduled until then (its submit's runAt, or its schedule's firing). */
            runAt: string | null;
            /** @description While this job is unfinished, a submit of its owner with this key answers with it. */
            concurrencyKey: string | null;
            /** @description The schedule whose firing made it, if one did. */
            scheduleId: string | null;
            /** Format: date-time */
            createdAt: string;
            startedAt: string | null;
            /** Format: date-time */
            updatedAt: string;
            finishedAt: string | null;
            estimatedCompletionAt: string | null;
            retryAt: string | null;
            result: ({
                /** @constant */
                kind: "none";
            } | {
                /** @constant */
                kind: "json";
            } | {
                /** @constant */
                kind: "file";
                filename: string;
                contentType: string;
                size: number;
            }) | null;
            error: components["schemas"]["Problem"] | null;
            cancelledAt: string | null;
            cancelledBy: string | null;
            /** @description When a finished job and its result stop being kept. */
            expiresAt: string | null;
            /** @description Set once expired: the result is deleted and the status URI answers 410. */
            expiredAt: string | null;
            links: {
                self: string;
                batch?: string;
                schedule?: string;
                result?: string;
                cancel?: string;
                retry?: string;
            };
            ownerEmail: string | null;
        };
        OwnerUnfinishedJobs: {
            /** @description Scheduled, queued and running jobs. */
            unfinished: number;
            /** @description The most unfinished jobs at once; past it a submit is a 429. */
            cap: number;
            /** @description Whether an admin set this cap rather than the default. */
            customCap: boolean;
            userId: string;
            email: string | null;
        };
        WebhookDelivery: {
            /** Format: uuid */
            id: string;
            /** @description The webhook-id header: the same on every attempt. */
            webhookId: string;
            /** Format: uuid */
            endpointId: string;
            endpointUrl: string;
            ownerId: string;
            /** @description Whose endpoint it is (the admin console lists everyone's). */
            ownerEmail: string | null;
            jobId: string | null;
            event: string;
            /** @enum {string} */
            state: "pending" | "delivered" | "failed";
            attempts: {
                /** Format: date-time */
                at: string;
                status: number | null;
                durationMs: number;
                responseStart: string | null;
                error: string | null;
            }[];
            nextAttemptAt: string | null;
            /** Format: date-time */
            createdAt: string;
            finishedAt: string | null;
        };
        WebhookEndpoint: {
            /** Format: uuid */
            id: string;
            url: string;
            description: string;
            events: ("job.succeeded" | "job.failed" | "job.cancelled" | "job.progress")[];
            jobTypes: string[] | null;
            enabled: boolean;
            /** @description Since when every attempt has failed; three days of it disable the endpoint. */
            failingSince: string | null;
            disabledReason: string | null;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            links: {
                self: string;
                deliveries: string;
            };
        };
        /** @description How the URL answered the signed webhook.ping sent when it was saved. */
        WebhookPing: {
            ok: boolean;
            status: number | null;
            durationMs: number;
            error: string | null;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
