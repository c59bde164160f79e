import { signInPage, expect, screenshot, test, USERS } from "./fixtures";

/**
 * The operators' views beside the platform page: the fleet map (components/operator/fleet-map.tsx:
 * which realm runs where, per host, with capacity bars and realms coloured by category; a realm
 * opens its organization's page) and the activity plots (components/operator/activity-plots.tsx:
 * denials, operations, latency and alarms over a window) and the audit trail's integrity
 * (components/operator/audit-integrity.tsx: verify every chain, sign a checkpoint, the public
 * key). Only operators see them.
 */

test.describe("fleet map", () => {
  test("ops opens the fleet map from the platform page: every host with its capacity, Acme's and Globex's realms on them, management VMs marked; a chip opens the organization", async ({
    page,
  }) => {
    await signInPage(page, USERS.ops);
    await page.goto("/operator");
    await page.getByRole("main").getByTestId("operator-fleet-link").click();
    await expect(page).toHaveURL(/\/operator\/fleet$/);
    await expect(page.getByRole("heading", { name: "Fleet map" })).toBeVisible();
    const map = page.getByRole("main").getByTestId("fleet-map");
    // The demo fleet: two simulated hosts, each with its capacity meters.
    for (const host of ["xen-a", "xen-b"]) {
      const card = map.getByTestId(`fleet-host-${host}`);
      await expect(card).toBeVisible();
      await expect(card.getByRole("meter", { name: "vCPU used" })).toBeVisible();
      await expect(card.getByRole("meter", { name: "Memory used" })).toBeVisible();
    }
    // Each seeded realm runs somewhere, and its management VM on exactly one host.
    for (const slug of ["acme", "globex"]) {
      const chips = map.getByTestId(`fleet-realm-${slug}`);
      await expect(chips.first()).toBeVisible();
      await expect(
        map.getByTestId(`fleet-realm-${slug}`).filter({ has: page.getByLabel("management VM") }),
      ).toHaveCount(1);
    }
    await screenshot(page, "operator-fleet-map");

    const acme = map.getByTestId("fleet-realm-acme").first();
    await expect(acme).toContainText("Acme Corp");
    await acme.click();
    await expect(page).toHaveURL(/\/operator\/organizations\/[0-9a-f-]{36}$/);
    await expect(page.getByRole("main")).toContainText("Acme Corp");
  });

  test("alice (an organization owner, not an operator) gets not-found", async ({ pageAs }) => {
    const alice = await pageAs(USERS.alice);
    const response = await alice.goto("/operator/fleet");
    expect(response?.status()).toBe(404);
    await expect(alice.getByRole("heading", { name: "Not found" })).toBeVisible();
  });
});

test.describe("activity plots", () => {
  test("ops reads the last day's operations and denials as plots, reads one as a table, and pages to the day before", async ({
    page,
    pageAs,
  }) => {
    // A denial to see: bob asks for a VM of another realm (answered as missing, recorded as denied).
    const bob = await pageAs(USERS.bob);
    const probe = await bob.request.get(
      `/api/trpc/vm.get?input=${encodeURIComponent(JSON.stringify({ json: { vmId: "00000000-0000-4000-8000-000000000001" } }))}`,
      {
        headers: { "x-realmgate-client": "web" },
      },
    );
    expect(probe.status()).toBe(404);

    await signInPage(page, USERS.ops);
    await page.goto("/operator");
    await page.getByRole("main").getByTestId("operator-activity-link").click();
    await expect(page).toHaveURL(/\/operator\/activity$/);
    await page.getByRole("button", { name: "24 hours" }).click();
    await expect(page.getByRole("button", { name: "24 hours" })).toHaveAttribute("aria-pressed", "true");
    const main = page.getByRole("main");
    await expect(main.getByTestId("activity-range")).toContainText("15 min per bar");
    // The demo data's operations (realms built, guests created and started) are in the last day.
    const operations = main.getByTestId("activity-totals").locator("div", { hasText: /^Operations/ });
    await expect(operations.locator("dd")).not.toHaveText("0");
    await expect(
      main
        .getByTestId("activity-totals")
        .locator("div", { hasText: /^Denials/ })
        .locator("dd"),
    ).not.toHaveText("0");
    for (const plot of ["plot-denials", "plot-operations", "plot-latency", "plot-alarms"]) {
      await expect(main.getByTestId(plot).locator("svg.recharts-surface").first()).toBeVisible();
    }
    await main.getByTestId("plot-operations").getByText("Show as a table").click();
    await expect(main.getByTestId("plot-operations").locator("tbody tr").first()).toBeVisible();
    await screenshot(page, "operator-activity");

    const range = await main.getByTestId("activity-range").textContent();
    await page.getByRole("button", { name: "← Earlier" }).click();
    await expect(main.getByTestId("activity-range")).not.toHaveText(range!);
    await expect(main.getByTestId("activity-range")).not.toContainText("live");
    await page.getByRole("button", { name: "Now" }).click();
    await expect(main.getByTestId("activity-range")).toContainText("live");
  });

  test("victor (a viewer) gets not-found", async ({ pageAs }) => {
    const victor = await pageAs(USERS.victor);
    expect((await victor.goto("/operator/activity"))?.status()).toBe(404);
  });
});

test.describe("audit integrity", () => {
  test("ops signs a checkpoint, verifies every chain (the demo's trail is intact) and reads the public key", async ({
    page,
  }) => {
    await signInPage(page, USERS.ops);
    await page.goto("/operator");
    await page.getByRole("main").getByTestId("operator-integrity-link").click();
    await expect(page).toHaveURL(/\/operator\/integrity$/);
    const main = page.getByRole("main");
    await expect(main.getByTestId("audit-public-key")).toHaveText(/^[A-Za-z0-9+/]{43}=$/);
    await main.getByTestId("audit-checkpoint").click();
    await expect(main.getByTestId("audit-checkpoint-result")).toContainText("Signed checkpoint");
    await main.getByTestId("audit-verify").click();
    await expect(main.getByTestId("audit-verdict")).toHaveText(/^All \d+ chains verified: [\d,]+ records\.$/, {
      timeout: 30_000,
    });
    // Every chain is listed: the platform's own and each realm's (Acme's among them).
    const chains = main.getByTestId("audit-chains");
    await expect(chains.locator("tr", { hasText: "Platform" })).toContainText("verified");
    await expect(chains.locator("tr", { hasText: "Acme Corp" })).toContainText("verified");
    await screenshot(page, "operator-audit-integrity");
  });
});
