import { expect, type Locator, type Page } from "@playwright/test";

/** The webhook settings as a user sees them: the new-endpoint form, the list, an endpoint's page and its log. */
export class WebhooksPage {
  readonly form: Locator;
  readonly endpointRows: Locator;
  readonly deliveryRows: Locator;

  constructor(readonly page: Page) {
    this.form = page.locator("form.endpoint-form");
    this.endpointRows = page.getByTestId("endpoint-row");
    this.deliveryRows = page.getByTestId("delivery-row");
  }

  async goto() {
    await this.page.goto("/settings/webhooks");
    await expect(this.page.getByRole("heading", { name: "Webhooks", level: 1 })).toBeVisible();
  }

  /** Adds an endpoint; returns the secret shown once. */
  async add(url: string, options: { description?: string; progress?: boolean } = {}): Promise<string> {
    await this.form.getByLabel("URL").fill(url);
    if (options.description) await this.form.getByLabel(/^Description/).fill(options.description);
    if (options.progress) await this.form.getByRole("checkbox", { name: /job\.progress/ }).check();
    await this.form.getByRole("button", { name: "Add endpoint" }).click();
    const secret = this.page.getByTestId("webhook-secret");
    await expect(secret).toBeVisible();
    return (await secret.textContent()) ?? "";
  }

  /** Opens an endpoint's page from the list. */
  async open(url: string) {
    await this.endpointRows.getByRole("link", { name: url }).click();
    await expect(this.page.getByRole("heading", { name: url })).toBeVisible();
  }
}
