import { defineConfig, devices } from "@playwright/test";

/**
 * End-to-end suite: one product instance (scripts/e2e-server.ts: fresh database, own ports) shared
 * by every test, so tests make their own data unique (random VM names) and never depend on order.
 */

const CI = !!process.env.CI;

export default defineConfig({
  testDir: "e2e",
  outputDir: "e2e/artifacts/test-results",
  // An operator's sign-in answers a TOTP code, and a code is accepted once: when several specs
  // sign ops in within one 30 s step, a sign-in waits for the next step, up to about a minute
  // (e2e/fixtures.ts apiSignIn). A journey as ops needs that room beside its own minute.
  timeout: 120_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  forbidOnly: CI,
  retries: CI ? 1 : 0,
  workers: 2,
  reporter: [["list"], ["html", { open: "never", outputFolder: "e2e/artifacts/report" }]],
  use: {
    ...devices["Desktop Chrome"],
    baseURL: "http://localhost:3100",
    screenshot: "on",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  webServer: {
    command: "node --import tsx scripts/e2e-server.ts",
    url: "http://127.0.0.1:3100/api/auth/csrf",
    timeout: 240_000,
    reuseExistingServer: !CI,
    stdout: "ignore",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
  },
});
