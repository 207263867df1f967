import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Page } from "@playwright/test";
import { build } from "esbuild";
import { chromiumLaunchOptions } from "../support/chromium";
import { expect, test } from "../support/fixtures";

const root = resolve(import.meta.dirname, "../..");

// The example's page is served by the test (route.fulfill), so it has no
// address, and Chromium counts it as a public page whose WebSockets to
// localhost it refuses. The app's own pages come from localhost and need
// no such leave; this lets the example connect as it would from there.
test.use({
  launchOptions: {
    ...chromiumLaunchOptions,
    args: [...(chromiumLaunchOptions.args ?? []), "--disable-features=LocalNetworkAccessChecks"],
  },
});

/**
 * The client README's React example, bundled as someone's own front end
 * would bundle it (the SDK's sources, the project's react and TanStack
 * Query), with a few lines that mount its `App`.
 */
async function bundleReadmeExample(): Promise<string> {
  const readme = await readFile(join(root, "client/README.md"), "utf8");
  const example = readme.match(/```tsx\n([\s\S]*?)```/)?.[1];
  if (!example) throw new Error("client/README.md has no tsx example");
  const folder = join(root, "test-results/react-hooks-example");
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, "example.tsx"), example);
  await writeFile(
    join(folder, "mount.tsx"),
    `import { createRoot } from "react-dom/client";
import { App } from "./example";
createRoot(document.getElementById("root")!).render(<App />);
`,
  );
  const bundled = await build({
    entryPoints: [join(folder, "mount.tsx")],
    bundle: true,
    write: false,
    format: "esm",
    jsx: "automatic",
    define: { "process.env.NODE_ENV": '"production"' },
    alias: {
      "@accepted/client/react": join(root, "client/src/react.ts"),
      "@accepted/client": join(root, "client/src/index.ts"),
    },
    logLevel: "silent",
  });
  const [output] = bundled.outputFiles;
  if (!output) throw new Error("esbuild wrote nothing");
  return output.text;
}

const examplePage = `<!doctype html>
<html lang="en"><head><title>The hook example</title></head>
<body><div id="root"></div><script type="module" src="/react-example.js"></script></body></html>`;

/** Opens the example, clicks its button, and returns every value its progress bar took until "succeeded". */
async function runExample(page: Page, screenshot: string): Promise<number[]> {
  const script = await bundleReadmeExample();
  // On the app's own origin: the example uses the page's session, as the README says.
  await page.route("**/react-example", (route) => route.fulfill({ contentType: "text/html", body: examplePage }));
  await page.route("**/react-example.js", (route) => route.fulfill({ contentType: "text/javascript", body: script }));
  const seen: number[] = [];
  await page.exposeFunction("sawProgress", (value: number) => seen.push(value));

  await page.goto("/react-example");
  await page.getByRole("button", { name: "Run five steps" }).click();
  const bar = page.locator("progress");
  await expect(bar).toBeVisible();
  await bar.evaluate((element) => {
    const report = () =>
      (window as unknown as { sawProgress(value: number): void }).sawProgress(Number(element.getAttribute("value")));
    report();
    new MutationObserver(report).observe(element, { attributes: true, attributeFilter: ["value"] });
  });
  await expect(page.locator("p", { has: bar })).toHaveText(/succeeded Step 5 of 5/, { timeout: 30_000 });
  await page.screenshot({ path: `test-results/${screenshot}` });
  return seen;
}

/** The bar rose through the steps, never backwards, to 100. */
function expectRisingTo100(seen: number[]) {
  expect(seen.filter((value) => value > 0 && value < 100).length).toBeGreaterThanOrEqual(2);
  expect(seen).toEqual([...seen].sort((a, b) => a - b));
  expect(seen.at(-1)).toBe(100);
}

test("the README's useSubmitJob and useJob example submits one job and follows it over a WebSocket to 100 %", async ({
  page,
  sql,
  owner,
}) => {
  const startedAt = new Date();
  const sockets: string[] = [];
  page.on("websocket", (socket) => sockets.push(new URL(socket.url()).pathname));

  expectRisingTo100(await runExample(page, "react-hook-example.png"));

  expect(sockets).toContain("/api/events");
  // One click, one job: the row the worker finished.
  const rows = await sql`
    select state, progress from jobs
    where owner_id = ${owner.id} and type = 'demo.steps' and created_at >= ${startedAt}`;
  expect(rows).toEqual([{ state: "succeeded", progress: 100 }]);
});

test("with WebSockets dropped by a proxy, the hook follows the job over Server-Sent Events", async ({ page }) => {
  await page.routeWebSocket("**/api/events", (socket) => socket.close());
  const streams: string[] = [];
  page.on("request", (request) => {
    if (request.url().endsWith("/events")) streams.push(new URL(request.url()).pathname);
  });

  expectRisingTo100(await runExample(page, "react-hook-example-sse.png"));

  expect(streams).toEqual([expect.stringMatching(/^\/api\/jobs\/[\w-]+\/events$/)]);
});
