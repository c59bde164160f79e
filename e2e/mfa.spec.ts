import type { Page } from "@playwright/test";
import { expect, PASSWORD, screenshot, sessionEmail, signIn, test, totpCode, trpcMutation, USERS } from "./fixtures";

/**
 * Second factors, as a person uses them: enrol an authenticator app (TOTP) on the security page,
 * then sign in with password + code (password alone is not enough), with a recovery code once,
 * and with a passkey held by Chromium's virtual authenticator (CDP WebAuthn domain). Each journey
 * has its own demo user (Globex viewers gina and pete) and removes its factor at the end.
 */

const secondFactorForm = (page: Page) => page.getByTestId("second-factor-form");
const alertIn = (page: Page) => page.locator("form").getByRole("alert");

async function enterCode(page: Page, code: string): Promise<void> {
  await secondFactorForm(page).locator('input[name="code"]').fill(code);
  await page.getByRole("button", { name: "Verify" }).click();
}

test.describe("TOTP", () => {
  test("enrol an authenticator app; password alone does not sign in an MFA user; a code does, a recovery code works once", async ({ page, browser }) => {
    await signIn(page, USERS.gina);
    await expect(page).toHaveURL(/\/realm$/);
    await page.goto("/account/security");
    await page.getByRole("button", { name: "Set up authenticator app" }).click();
    const secret = (await page.getByTestId("totp-secret").innerText()).trim();
    await expect(page.getByTestId("totp-uri")).toHaveText(/^otpauth:\/\/totp\/Realmgate:gina%40globex\.test\?.*secret=/);
    await page.locator('input[name="totp"]').fill(await totpCode(secret));
    await page.getByRole("button", { name: "Confirm" }).click();
    await expect(page.getByTestId("recovery-codes").locator("li")).toHaveCount(10);
    const codes = (await page.getByTestId("recovery-codes").locator("li").allInnerTexts()).map((c) => c.trim());
    expect(codes).toHaveLength(10);
    await screenshot(page, "mfa-recovery-codes");
    await page.getByRole("button", { name: "I have saved them" }).click();
    await expect(page.getByTestId("totp-enabled")).toBeVisible();

    try {
      // Password alone: the form asks for the second factor, and there is no session.
      const fresh = await (await browser.newContext()).newPage();
      await signIn(fresh, USERS.gina, PASSWORD, undefined);
      await expect(secondFactorForm(fresh)).toBeVisible();
      expect(await sessionEmail(fresh.request)).toBeNull();
      await screenshot(fresh, "mfa-second-step");
      // A wrong code is refused; the current step was spent by the enrolment, so the next one signs in.
      await enterCode(fresh, "000000");
      await expect(alertIn(fresh)).toContainText("That code is wrong");
      expect(await sessionEmail(fresh.request)).toBeNull();
      await enterCode(fresh, await totpCode(secret, 1));
      await expect(fresh).toHaveURL(/\/realm$/);
      expect(await sessionEmail(fresh.request)).toBe(USERS.gina);
      await fresh.context().close();

      // A recovery code works once.
      for (const attempt of ["first", "second"] as const) {
        const other = await (await browser.newContext()).newPage();
        await signIn(other, USERS.gina, PASSWORD, undefined);
        await enterCode(other, codes[0]!);
        if (attempt === "first") await expect(other).toHaveURL(/\/realm$/);
        else {
          await expect(alertIn(other)).toContainText("That code is wrong");
          expect(await sessionEmail(other.request)).toBeNull();
        }
        await other.context().close();
      }

      // A wrong password of an MFA user looks like any wrong password: no second step.
      const wrong = await (await browser.newContext()).newPage();
      await signIn(wrong, USERS.gina, "not-the-password", undefined);
      await expect(alertIn(wrong)).toHaveText("Wrong email or password.");
      await expect(secondFactorForm(wrong)).toHaveCount(0);
      await wrong.context().close();
    } finally {
      // Back to no MFA, so the journey can run again on a reused server.
      const removed = await trpcMutation(page.request, "mfa.totp.remove", { password: PASSWORD });
      expect(removed.error, JSON.stringify(removed.error)).toBeUndefined();
    }
  });
});

test.describe("passkeys", () => {
  test("register a passkey on the security page and use it as the second factor (virtual authenticator)", async ({ page }) => {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("WebAuthn.enable");
    await cdp.send("WebAuthn.addVirtualAuthenticator", {
      options: {
        protocol: "ctap2",
        transport: "internal",
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });

    await signIn(page, USERS.pete);
    await expect(page).toHaveURL(/\/realm$/);
    await page.goto("/account/security");
    await page.locator('input[name="name"]').fill("virtual laptop");
    await page.getByRole("button", { name: "Add a passkey" }).click();
    await expect(page.getByTestId("passkeys")).toContainText("virtual laptop");
    // The first factor comes with recovery codes.
    await expect(page.getByTestId("recovery-codes").locator("li")).toHaveCount(10);
    await screenshot(page, "mfa-passkey-registered");

    try {
      await page.getByRole("button", { name: "Sign out" }).click();
      await expect(page).toHaveURL(/\/signin/);
      await signIn(page, USERS.pete, PASSWORD, undefined);
      await expect(secondFactorForm(page)).toBeVisible();
      expect(await sessionEmail(page.request)).toBeNull();
      await page.getByRole("button", { name: "Use a passkey" }).click();
      await expect(page).toHaveURL(/\/realm$/);
      expect(await sessionEmail(page.request)).toBe(USERS.pete);
    } finally {
      const status = await page.request.get("/api/trpc/mfa.status");
      const body = (await status.json()) as { result?: { data?: { json?: { passkeys: { id: string }[] } } } };
      for (const passkey of body.result?.data?.json?.passkeys ?? []) {
        const removed = await trpcMutation(page.request, "mfa.passkey.remove", { id: passkey.id, password: PASSWORD });
        expect(removed.error, JSON.stringify(removed.error)).toBeUndefined();
      }
    }
  });
});
