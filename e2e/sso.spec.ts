import type { Page } from "@playwright/test";
import { expect, screenshot, sessionEmail, test, USERS } from "./fixtures";

/**
 * Single sign-on against a real OpenID provider (scripts/test-oidc-provider.ts, started by
 * scripts/e2e-server.ts on 127.0.0.1:3190): authorization code + PKCE, claims from the ID token,
 * oidc-provider's development login form. Accounts: `sso-alice` (alice@acme.test, verified) and
 * `sso-mallory` (claims victor@acme.test, not verified).
 */

async function ssoSignIn(page: Page, account: string): Promise<void> {
  await page.goto("/signin");
  await page.getByRole("button", { name: "Sign in with Test SSO" }).click();
  await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:3190\//);
  await page.locator('input[name="login"]').fill(account);
  await page.locator('input[name="password"]').fill("any password: the test provider's login form");
  await page.getByRole("button", { name: "Sign-in" }).click();
}

test.describe("SSO", () => {
  test("a verified email signs in as the existing user and lands in its realm", async ({ page }) => {
    await ssoSignIn(page, "sso-alice");
    await expect(page).toHaveURL(/^http:\/\/localhost:3100\/realm$/);
    await expect(page.getByTestId("realm-title")).toHaveText("Acme Corp");
    await expect(page.getByTestId("whoami")).toContainText("Acme Corp (owner)");
    expect(await sessionEmail(page.request)).toBe(USERS.alice);
    // The link is shown on the security page.
    await page.goto("/account/security");
    await expect(page.getByText("http://127.0.0.1:3190 as alice@acme.test")).toBeVisible();
    await screenshot(page, "sso-signed-in");
  });

  test("an unverified OIDC email is refused with a clear message, even for an existing user's address", async ({ page }) => {
    await ssoSignIn(page, "sso-mallory");
    await expect(page).toHaveURL(/\/signin\?error=UnverifiedEmail$/);
    await expect(page.getByRole("alert").filter({ hasText: "has not verified" })).toBeVisible();
    expect(await sessionEmail(page.request)).toBeNull();
    await page.goto("/realm");
    await expect(page).toHaveURL(/\/signin$/);
    await screenshot(page, "sso-unverified-refused");
  });
});
