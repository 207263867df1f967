-- UNLOGGED: a rate count is written on every limited request and is worth no WAL; after a crash (or on a
-- promoted replica) the table starts empty, which only gives everyone a fresh window.
CREATE UNLOGGED TABLE "rate_limit_windows" (
	"key" text PRIMARY KEY NOT NULL,
	"window_started_at" timestamp (3) with time zone NOT NULL,
	"hits" integer NOT NULL
);
