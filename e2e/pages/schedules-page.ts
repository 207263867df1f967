import { expect, type Locator, type Page } from "@playwright/test";

export interface NewScheduleFields {
  /** The job type's title, as the select shows it. */
  type: string;
  /** The input box's text (JSON). */
  input: string;
  cron: string;
  /** Left as the form fills it (the browser's zone) unless given. */
  timezone?: string;
  concurrencyKey?: string;
}

/** The schedules page as a user sees it: the new-schedule form and each schedule with its firings and runs. */
export class SchedulesPage {
  readonly form: Locator;
  readonly createButton: Locator;
  readonly cards: Locator;

  constructor(readonly page: Page) {
    this.form = page.getByRole("form", { name: "New schedule" });
    this.createButton = this.form.getByRole("button", { name: "Create schedule" });
    this.cards = page.getByTestId("schedule-card");
  }

  async goto() {
    await this.page.goto("/schedules");
    await expect(this.page.getByRole("heading", { name: "Your schedules" })).toBeVisible();
  }

  /** Fills the form and sends it; returns the answer's status and body. */
  async submit(fields: NewScheduleFields): Promise<{ status: number; body: Record<string, unknown> }> {
    await this.form.getByLabel("Job type").selectOption({ label: fields.type });
    await this.form.getByLabel("Input (JSON)").fill(fields.input);
    await this.form.getByLabel("Cron expression").fill(fields.cron);
    if (fields.timezone !== undefined) await this.form.getByLabel("Time zone").fill(fields.timezone);
    if (fields.concurrencyKey !== undefined) {
      await this.form.getByLabel(/^Concurrency key/).fill(fields.concurrencyKey);
    }
    const answered = this.page.waitForResponse(
      (response) => response.url().endsWith("/api/schedules") && response.request().method() === "POST",
    );
    await this.createButton.click();
    const response = await answered;
    return { status: response.status(), body: (await response.json()) as Record<string, unknown> };
  }

  /** Makes a schedule with the form and returns its card. */
  async create(fields: NewScheduleFields): Promise<ScheduleCard> {
    const { status, body } = await this.submit(fields);
    expect(status, JSON.stringify(body)).toBe(201);
    const card = this.card(String(body.id));
    await expect(card.root).toBeVisible();
    return card;
  }

  card(id: string): ScheduleCard {
    return new ScheduleCard(this.page.locator(`[data-testid="schedule-card"][data-schedule-id="${id}"]`), id);
  }
}

export class ScheduleCard {
  /** Active or Paused. */
  readonly badge: Locator;
  /** Its next firing times. */
  readonly upcoming: Locator;
  readonly upcomingSection: Locator;
  /** Its newest runs, each with its state's badge and a link to its job. */
  readonly runs: Locator;
  readonly lastFiring: Locator;

  constructor(
    readonly root: Locator,
    readonly id: string,
  ) {
    this.badge = root.locator(".job-card-head .badge");
    this.upcomingSection = root.getByRole("region", { name: "Next firings" });
    this.upcoming = this.upcomingSection.getByRole("listitem");
    this.runs = root.getByRole("region", { name: "Recent runs" }).getByRole("listitem");
    this.lastFiring = root.getByTestId("last-firing");
  }

  /** Its runs in this state ("Succeeded"), by their badges. */
  runsIn(state: string): Locator {
    return this.runs.filter({ has: this.root.page().locator(".badge", { hasText: state }) });
  }

  async pause() {
    await this.root.getByRole("button", { name: "Pause" }).click();
    await expect(this.badge).toHaveText("Paused");
  }

  async resume() {
    await this.root.getByRole("button", { name: "Resume" }).click();
    await expect(this.badge).toHaveText("Active");
  }

  /** Delete…, then confirm. */
  async delete() {
    await this.root.getByRole("button", { name: "Delete…" }).click();
    await this.root.getByRole("button", { name: "Yes, delete" }).click();
    await expect(this.root).toHaveCount(0);
  }
}
