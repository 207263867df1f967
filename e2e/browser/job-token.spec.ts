import { baseURL, expect, test } from "../support/fixtures";

// A page of "another site's" front end, served here on the app's own origin
// so the test needs no CORS: it has no session, only the token its backend
// made, and follows the job with the browser's own EventSource.
const followPage = `<!doctype html>
<html lang="en"><head><title>Follow a job</title></head>
<body>
  <progress id="bar" max="100" value="0"></progress> <output id="state">connecting</output>
  <script>
    const [jobId, token] = location.hash.slice(1).split(":");
    const events = new EventSource("/api/jobs/" + jobId + "/events?access_token=" + encodeURIComponent(token));
    events.addEventListener("job", (event) => {
      const job = JSON.parse(event.data);
      document.getElementById("bar").value = job.progress;
      document.getElementById("state").textContent = job.state + " " + job.progress + "%";
      if (job.state === "succeeded" || job.state === "failed" || job.state === "cancelled") events.close();
    });
  </script>
</body></html>`;

test("a read-only token follows its job in a page with no session, and can do nothing else", async ({
  browser,
  jobsApi,
  request,
}) => {
  const job = await jobsApi.submitAccepted("demo.steps", { steps: 4, stepMs: 400 });
  const other = await jobsApi.submitAccepted("demo.steps", { steps: 1, stepMs: 0 });
  const { token } = await (await request.post(`/api/jobs/${job.id}/tokens`)).json();

  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await page.route("**/follow-with-token", (route) => route.fulfill({ contentType: "text/html", body: followPage }));
  await page.goto(`/follow-with-token#${job.id}:${token}`);
  expect(await context.cookies()).toEqual([]);
  await expect(page.locator("#state")).toHaveText(/running|succeeded/);
  await expect(page.locator("#state")).toHaveText("succeeded 100%", { timeout: 30_000 });
  await page.screenshot({ path: "test-results/job-token-follow.png" });

  // From that page, with that token: another job does not exist, and a write is refused.
  const tried = await page.evaluate(
    async ([otherId, jobId, bearer]) => {
      const headers = { Authorization: `Bearer ${bearer}` };
      const another = await fetch(`/api/jobs/${otherId}`, { headers });
      const cancel = await fetch(`/api/jobs/${jobId}`, { method: "DELETE", headers });
      const list = await fetch("/api/jobs", { headers });
      return [another.status, cancel.status, list.status];
    },
    [other.id, job.id, token],
  );
  expect(tried).toEqual([404, 403, 403]);
  await context.close();
});
