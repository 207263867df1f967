import { expect, type Page } from "@playwright/test";

/** The sign-in and sign-up forms, as a person fills them in. */
export class AuthPages {
  constructor(readonly page: Page) {}

  /** Fills in the sign-up form of the page it is on. */
  async signUp(user: { name: string; email: string; password: string }) {
    await this.page.getByLabel("Name").fill(user.name);
    await this.page.getByLabel("Email").fill(user.email);
    await this.page.getByLabel("Password").fill(user.password);
    await this.page.getByRole("button", { name: "Create account" }).click();
  }

  async signIn(user: { email: string; password: string }) {
    await this.page.getByLabel("Email").fill(user.email);
    await this.page.getByLabel("Password").fill(user.password);
    await this.page.getByRole("button", { name: "Sign in" }).click();
  }

  async signOut() {
    await this.page.getByRole("button", { name: "Sign out" }).click();
    await expect(this.page).toHaveURL(/\/sign-in/);
  }

  /** Whose session the page shows, from the top bar. */
  signedInAs() {
    return this.page.getByTestId("signed-in-as");
  }
}
