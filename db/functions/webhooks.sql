-- Queues the delivery of an endpoint's chain of messages (a job's events, in
-- order) as one graphile-worker job: the chain's name is both its job key and
-- its queue, so the chain is worked on by one worker at a time, and an event
-- arriving while a retry waits keeps the retry's time (preserve_run_at).
-- Called by jobs_after_update (db/functions/jobs.sql) and lib/webhooks.
CREATE OR REPLACE FUNCTION "queue_webhook_chain"(endpoint uuid, chain uuid, not_before timestamptz) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  chain_name text := 'webhook:' || endpoint || ':' || chain;
BEGIN
  PERFORM graphile_worker.add_job('accepted:deliver-webhooks',
    json_build_object('endpointId', endpoint, 'chain', chain),
    queue_name => chain_name, run_at => not_before, max_attempts => 25,
    job_key => chain_name, job_key_mode => 'preserve_run_at');
END $$;
