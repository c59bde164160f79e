import { expect, screenshot, sessionEmail, signIn, test, USERS } from "./fixtures";

const WRONG = "Wrong email or password.";

test.describe("sign-in", () => {
  test("a wrong password and an unknown email get the same answer and no session", async ({ page }) => {
    await signIn(page, USERS.alice, "not-the-password");
    // Scoped to the form: Next.js keeps an empty role=alert route announcer on every page.
    const alert = page.locator("form").getByRole("alert");
    await expect(alert).toHaveText(WRONG);
    const wrongPassword = await alert.innerText();
    await expect(page).toHaveURL(/\/signin$/);
    expect(await sessionEmail(page.request)).toBeNull();
    await screenshot(page, "auth-wrong-password");

    await signIn(page, "nobody@nowhere.test", "not-the-password");
    await expect(alert).toHaveText(WRONG);
    expect(await alert.innerText()).toBe(wrongPassword);
    await expect(page).toHaveURL(/\/signin$/);
    expect(await sessionEmail(page.request)).toBeNull();
    const cookies = await page.context().cookies();
    expect(cookies.filter((c) => c.name.includes("session-token"))).toEqual([]);

    // Not signed in: the realm is still out of reach.
    await page.goto("/realm");
    await expect(page).toHaveURL(/\/signin$/);
  });

  test("the correct password lands on the realm with the org name; sign-out returns to /signin", async ({ page }) => {
    await signIn(page, USERS.alice);
    await expect(page).toHaveURL(/\/realm$/);
    await expect(page.getByTestId("realm-title")).toHaveText("Acme Corp");
    await expect(page.getByTestId("whoami")).toContainText("Acme Corp (owner)");
    expect(await sessionEmail(page.request)).toBe(USERS.alice);
    await screenshot(page, "auth-signed-in");

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/signin$/);
    await expect(page.getByRole("heading", { name: "Sign in to Realmgate" })).toBeVisible();
    expect(await sessionEmail(page.request)).toBeNull();

    // The old session is gone: the realm redirects to sign-in again.
    await page.goto("/realm");
    await expect(page).toHaveURL(/\/signin$/);
  });

  test("an unauthenticated visit to /realm redirects to /signin", async ({ page }) => {
    await page.goto("/realm");
    await expect(page).toHaveURL(/\/signin$/);
    await expect(page.locator('input[name="email"]')).toBeVisible();
    await page.goto("/");
    await expect(page).toHaveURL(/\/signin$/);
  });
});
