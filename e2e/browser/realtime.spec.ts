import { DashboardPage } from "../pages/dashboard-page";
import { expect, signIn, test } from "../support/fixtures";

test("a job started in one browser appears and advances in another without reloading", async ({ browser, owner }) => {
  // The same user in two browsers: the watcher sees what the starter starts.
  const starterContext = await browser.newContext();
  const watcherContext = await browser.newContext();
  try {
    await signIn(starterContext, owner);
    await signIn(watcherContext, owner);
    const starter = new DashboardPage(await starterContext.newPage());
    const watcher = new DashboardPage(await watcherContext.newPage());
    await starter.goto();
    await watcher.goto();
    // The session cookie authenticates the page's WebSocket.
    await expect(watcher.liveIndicator).toHaveText("Live · WebSocket");
    const watcherPolls: string[] = [];
    watcher.page.on("request", (request) => {
      if (request.method() === "GET" && new URL(request.url()).pathname.startsWith("/api/jobs"))
        watcherPolls.push(request.url());
    });

    const started = await starter.start("Demo: steps", { Steps: "5", "Step duration": "600" });
    const seen = await watcher.card(started.id).watchProgressToCompletion();

    expect(seen.filter((value) => value > 0 && value < 100).length).toBeGreaterThanOrEqual(2);
    // While push is healthy the page does not poll: the new job came by the stream too.
    expect(watcherPolls).toEqual([]);
    await expect(watcher.card(started.id).badge).toHaveText("Succeeded");
    await watcher.page.screenshot({ path: "test-results/realtime-watcher.png" });
  } finally {
    await starterContext.close();
    await watcherContext.close();
  }
});

test("with WebSockets blocked (a proxy that drops upgrades), the page follows over SSE without polling", async ({
  page,
  jobsApi,
}) => {
  await page.routeWebSocket("**/api/events", (socket) => socket.close());
  const dashboard = new DashboardPage(page);
  await dashboard.goto();
  await expect(dashboard.liveIndicator).toHaveText("Live · SSE");
  const polls: string[] = [];
  page.on("request", (request) => {
    if (request.method() === "GET" && /^\/api\/jobs/.test(new URL(request.url()).pathname)) polls.push(request.url());
  });

  // Submitted elsewhere (a program with the same user's token): the page hears of it by the stream alone.
  const submitted = await jobsApi.submitAccepted("demo.steps", { steps: 4, stepMs: 500 });
  const job = dashboard.card(submitted.id);
  const seen = await job.watchProgressToCompletion();
  expect(seen.filter((value) => value > 0 && value < 100).length).toBeGreaterThanOrEqual(2);
  await expect(job.badge).toHaveText("Succeeded");
  expect(polls).toEqual([]);
  await page.screenshot({ path: "test-results/realtime-sse.png" });
});

test("with WebSockets and the event stream blocked, the page falls back to polling and still reaches 100%", async ({
  page,
}) => {
  await page.routeWebSocket("**/api/events", (socket) => socket.close());
  await page.route("**/api/events", (route) => route.abort());
  const dashboard = new DashboardPage(page);
  await dashboard.goto();
  await expect(dashboard.liveIndicator).toHaveText("Polling");

  const job = await dashboard.start("Demo: steps", { Steps: "4", "Step duration": "500" });
  await job.watchProgressToCompletion();
  await expect(job.badge).toHaveText("Succeeded");
  await expect(dashboard.liveIndicator).toHaveText("Polling");
  await page.screenshot({ path: "test-results/realtime-polling.png" });
});
