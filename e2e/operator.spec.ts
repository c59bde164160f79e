import { apiSignIn, signInPage, expect, screenshot, STATE_TIMEOUT, test, USERS } from "./fixtures";

const CATEGORY = /^s0:c(\d+),c(\d+)$/;

test.describe("platform operator", () => {
  test("ops sees both hosts online and both realms with distinct categories and running management VMs", async ({
    page,
  }) => {
    await signInPage(page, USERS.ops);
    await page.goto("/");
    await expect(page).toHaveURL(/\/operator$/);
    await expect(page.getByRole("heading", { name: "Platform" })).toBeVisible();

    const hosts = page.getByTestId("hosts-table");
    for (const host of ["xen-a", "xen-b"]) {
      // Status is the second column; the page polls, so wait for the heartbeat.
      await expect(hosts.getByTestId(`host-row-${host}`).locator("td").nth(1)).toHaveText("online", {
        timeout: STATE_TIMEOUT,
      });
      await expect(hosts.getByTestId(`host-row-${host}`).locator("td").nth(2)).toHaveText(/^\d+ \/ 32$/);
    }

    const realms = page.getByTestId("realms-table");
    const categories: string[] = [];
    for (const [slug, org] of [
      ["acme", "Acme Corp"],
      ["globex", "Globex"],
    ] as const) {
      const row = realms.getByTestId(`realm-row-${slug}`);
      await expect(row.locator("td").nth(0)).toHaveText(org);
      const category = (await row.locator("td").nth(1).innerText()).trim();
      const match = CATEGORY.exec(category);
      expect(match, `category of ${slug}: ${category}`).not.toBeNull();
      expect(Number(match![1])).toBeLessThan(Number(match![2]));
      categories.push(category);
      await expect(row.locator("td").nth(2)).toContainText("running", { timeout: STATE_TIMEOUT });
    }
    expect(categories[0]).not.toBe(categories[1]);
    await screenshot(page, "operator-overview");
  });

  test("alice opening /operator gets not-found", async ({ page }) => {
    await apiSignIn(page.request, USERS.alice);
    const response = await page.goto("/operator");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
    await expect(page.getByTestId("hosts-table")).toHaveCount(0);
    await screenshot(page, "operator-alice-not-found");
  });

  test("ops opening /realm gets not-found", async ({ page }) => {
    await signInPage(page, USERS.ops);
    const response = await page.goto("/realm");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
    await expect(page.getByTestId("realm-title")).toHaveCount(0);
  });
});
