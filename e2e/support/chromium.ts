import type { LaunchOptions } from "@playwright/test";

/** Debian's Chromium; Playwright's own download is not reachable here. */
export const chromiumLaunchOptions: LaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
};
