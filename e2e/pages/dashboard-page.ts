import { expect, type Locator, type Page } from "@playwright/test";

/** The dashboard as a user sees it: the start form and the list of jobs. */
export class DashboardPage {
  readonly form: Locator;
  readonly startButton: Locator;
  readonly jobCards: Locator;
  readonly liveIndicator: Locator;

  constructor(readonly page: Page) {
    this.form = page.getByRole("form", { name: "Start a job" });
    this.startButton = this.form.getByRole("button", { name: "Start job" });
    this.jobCards = page.getByTestId("job-card");
    this.liveIndicator = page.locator(".live-indicator");
  }

  /** The card of a job, by id, whoever started it. */
  card(id: string): JobCard {
    return new JobCard(this.page.locator(`[data-testid="job-card"][data-job-id="${id}"]`), id);
  }

  async goto() {
    await this.page.goto("/");
    await expect(this.page.getByRole("heading", { name: "Your jobs" })).toBeVisible();
  }

  async chooseType(title: string) {
    await this.form.getByRole("radio", { name: new RegExp(`^${title}`) }).check();
  }

  async fill(fields: Record<string, string>) {
    for (const [label, value] of Object.entries(fields)) {
      // Labels read "Steps (optional)"; match on how they begin.
      const field = this.form.getByLabel(new RegExp(`^${label}`));
      if ((await field.evaluate((element) => element.tagName)) === "SELECT") await field.selectOption(value);
      else await field.fill(value);
    }
  }

  /** Starts a job and returns its card, found by the id in the 202 answer. */
  async start(title: string, fields: Record<string, string> = {}): Promise<JobCard> {
    await this.chooseType(title);
    await this.fill(fields);
    const accepted = this.page.waitForResponse(
      (response) => response.url().endsWith("/api/jobs") && response.request().method() === "POST",
    );
    await this.startButton.click();
    const response = await accepted;
    expect(response.status()).toBe(202);
    const { id } = (await response.json()) as { id: string };
    const card = this.card(id);
    await expect(card.root).toBeVisible();
    return card;
  }
}

export class JobCard {
  readonly progressBar: Locator;
  readonly badge: Locator;
  readonly message: Locator;

  constructor(
    readonly root: Locator,
    readonly id: string,
  ) {
    this.progressBar = root.getByRole("progressbar");
    this.badge = root.locator(".badge");
    this.message = root.getByTestId("job-message");
  }

  async progress(): Promise<number> {
    return Number(await this.progressBar.getAttribute("aria-valuenow"));
  }

  /** Samples the bar until it reaches 100 and returns every value it showed. */
  async watchProgressToCompletion(timeoutMs = 30_000): Promise<number[]> {
    const seen: number[] = [];
    await expect
      .poll(
        async () => {
          const value = await this.progress();
          if (seen.at(-1) !== value) seen.push(value);
          return value;
        },
        { timeout: timeoutMs, intervals: [100] },
      )
      .toBe(100);
    return seen;
  }
}
