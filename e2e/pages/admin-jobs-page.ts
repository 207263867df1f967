import { expect, type Locator, type Page } from "@playwright/test";

/** The admin console's job table: its filters, rows, and bulk actions. */
export class AdminJobsPage {
  readonly filters: Locator;
  readonly rows: Locator;
  readonly bulkBar: Locator;
  readonly bulkProgress: Locator;

  constructor(readonly page: Page) {
    this.filters = page.getByRole("form", { name: "Filter jobs" });
    this.rows = page.getByTestId("admin-job-row");
    this.bulkBar = page.getByRole("toolbar", { name: "Bulk actions" });
    this.bulkProgress = page.getByTestId("bulk-progress");
  }

  async goto(query = "") {
    await this.page.goto(`/admin/jobs${query}`);
    await expect(this.page.getByRole("link", { name: "Jobs", exact: true })).toHaveAttribute("aria-current", "page");
  }

  row(id: string): Locator {
    return this.page.locator(`[data-testid="admin-job-row"][data-job-id="${id}"]`);
  }

  async filterBy(filters: { state?: string; owner?: string; search?: string }) {
    if (filters.owner !== undefined) await this.filters.getByLabel("Owner").fill(filters.owner);
    if (filters.search !== undefined) await this.filters.getByLabel("Search input and errors").fill(filters.search);
    if (filters.state !== undefined) await this.filters.getByLabel("State").selectOption(filters.state);
    await this.filters.getByRole("button", { name: "Apply" }).click();
  }

  async bulk(action: "Retry" | "Cancel", target: "selected" | "all matching") {
    if (target === "selected") {
      await this.bulkBar.getByRole("button", { name: `${action} selected` }).click();
    } else {
      await this.bulkBar.getByRole("button", { name: `${action} all matching…` }).click();
      await this.bulkBar.getByRole("button", { name: `Yes, ${action.toLowerCase()} all matching` }).click();
    }
  }
}
