import { countJobs, expect, test } from "../support/fixtures";

test.describe("POST /api/jobs", () => {
  test("answers 202 Accepted with Location, Retry-After and the status representation", async ({ jobsApi, sql }) => {
    const response = await jobsApi.submit("demo.steps", { steps: 2, stepMs: 2_000 });

    expect(response.status()).toBe(202);
    const body = await response.json();
    expect(response.headers().location).toBe(`/api/jobs/${body.id}`);
    expect(Number(response.headers()["retry-after"])).toBeGreaterThanOrEqual(1);
    expect(response.headers()["content-type"]).toContain("application/json");
    expect(body).toMatchObject({
      type: "demo.steps",
      title: "Demo: steps",
      state: "queued",
      progress: 0,
      attempts: 0,
      maxAttempts: 3,
      input: { steps: 2, stepMs: 2_000 },
      links: { self: `/api/jobs/${body.id}` },
    });

    const [row] = await sql`select type, state, input, max_attempts from jobs where id = ${body.id}`;
    expect(row).toMatchObject({ type: "demo.steps", input: { steps: 2, stepMs: 2_000 }, max_attempts: 3 });
    // The queue job was written in the same transaction, with our row's id as its payload.
    const queued = await sql`
      select t.identifier, j.max_attempts from graphile_worker._private_jobs j
      join graphile_worker._private_tasks t on t.id = j.task_id
      where j.payload->>'jobId' = ${body.id}`;
    expect(queued).toEqual([{ identifier: "demo.steps", max_attempts: 3 }]);
  });

  test("fills in the input's defaults before storing it", async ({ jobsApi }) => {
    const job = await jobsApi.submitAccepted("demo.steps", {});
    expect(job.input).toEqual({ steps: 10, stepMs: 500 });
  });

  test("leaves no row behind when the enqueue fails", async ({ jobsApi, sql, owner }) => {
    // A real failure inside graphile_worker.add_job: a trigger on its table
    // rejects queue jobs whose row asks for exactly 97 steps of 97 ms.
    await sql.unsafe(`
      create or replace function public.reject_poisoned_job() returns trigger language plpgsql as $$
      begin
        if exists (select 1 from public.jobs where id = (new.payload->>'jobId')::uuid
                   and input = '{"steps": 97, "stepMs": 97}'::jsonb) then
          raise exception 'queue unavailable (test)';
        end if;
        return new;
      end $$;
      create trigger reject_poisoned_job before insert on graphile_worker._private_jobs
        for each row execute function public.reject_poisoned_job();`);
    try {
      const before = await countJobs(sql, owner.id);
      const response = await jobsApi.submit("demo.steps", { steps: 97, stepMs: 97 });

      expect(response.status()).toBe(500);
      expect(response.headers()["content-type"]).toContain("application/problem+json");
      expect(await response.json()).toMatchObject({ type: "/problems/internal-error", status: 500 });
      expect(await countJobs(sql, owner.id)).toBe(before);
      expect(await sql`select 1 from jobs where input = '{"steps": 97, "stepMs": 97}'::jsonb`).toHaveLength(0);
    } finally {
      await sql.unsafe(`
        drop trigger reject_poisoned_job on graphile_worker._private_jobs;
        drop function public.reject_poisoned_job();`);
    }
  });
});
