import type { APIRequestContext, Page } from "@playwright/test";
import { createVm, expect, ok, screenshot, signIn, STATE_TIMEOUT, test, trpcMutation, uniqueName, USERS } from "./fixtures";

/**
 * One person, several organizations: Casey (casey@consult.test) is admin of Acme Corp (her first
 * organization) and viewer of Globex. The URL names the organization a tab works in
 * (`?org=<slug>`), the app's tRPC client sends it as `x-realmgate-org`, and the server resolves it
 * against the caller's memberships on every request. Nomad (nomad@realmgate.test) belongs to no
 * organization.
 */

type Answer = { status: number; names?: string[]; error?: { code?: string; message?: string } };

/** vm.list over HTTP, naming an organization in the header as the app's client does (or none). */
async function vmListIn(request: APIRequestContext, org: string | null): Promise<Answer> {
  const response = await request.get("/api/trpc/vm.list", { headers: org ? { "x-realmgate-org": org } : {} });
  const body = (await response.json()) as {
    result?: { data?: { json?: { items: { name: string; kind: string }[] } } };
    error?: { json?: { message: string; data?: { code: string } } };
  };
  const vms = body.result?.data?.json?.items;
  return {
    status: response.status(),
    ...(vms ? { names: vms.filter((vm) => vm.kind === "guest").map((vm) => vm.name) } : {}),
    ...(body.error?.json ? { error: { code: body.error.json.data?.code, message: body.error.json.message } } : {}),
  };
}

async function expectRealm(page: Page, title: string, own: string, foreign: string): Promise<void> {
  await expect(page.getByTestId("realm-title")).toHaveText(title);
  await expect(page.getByTestId(`vm-row-${own}`)).toBeVisible();
  await expect(page.getByTestId(`vm-row-${foreign}`)).toHaveCount(0);
}

test.describe("realm switcher", () => {
  test("casey sees the switcher, switches to Globex and sees its VMs; links keep the organization", async ({ pageAs }) => {
    const casey = await pageAs(USERS.casey);
    await casey.goto("/realm");
    // Without a choice: her first organization, as every existing link expects.
    await expectRealm(casey, "Acme Corp", "web-1", "db-1");
    await expect(casey.getByTestId("whoami")).toContainText("Acme Corp (admin)");
    const switcher = casey.getByTestId("realm-switcher");
    await expect(switcher.locator("option")).toHaveText(["Acme Corp (admin)", "Globex (viewer)"]);
    await screenshot(casey, "realm-switcher-acme");

    await switcher.selectOption("globex");
    await expect(casey).toHaveURL(/\/realm\?org=globex$/);
    await expectRealm(casey, "Globex", "db-1", "web-1");
    await expect(casey.getByTestId("whoami")).toContainText("Globex (viewer)");
    await expect(switcher).toHaveValue("globex");
    await screenshot(casey, "realm-switcher-globex");

    // A VM's link and its back link stay in Globex.
    await casey.getByTestId("vm-row-db-1").getByRole("link", { name: "db-1" }).click();
    await expect(casey).toHaveURL(/\/realm\/vms\/[0-9a-f-]+\?org=globex$/);
    await expect(casey.getByTestId("vm-title")).toContainText("db-1");
    await casey.getByRole("link", { name: "← All VMs" }).click();
    await expect(casey).toHaveURL(/\/realm\?org=globex$/);
    await expectRealm(casey, "Globex", "db-1", "web-1");

    // Switching on a VM's page leads to the other realm's overview (the VM is not there).
    await casey.getByTestId("vm-row-db-1").getByRole("link", { name: "db-1" }).click();
    await expect(casey.getByTestId("vm-title")).toContainText("db-1");
    await switcher.selectOption("acme");
    await expect(casey).toHaveURL(/\/realm\?org=acme$/);
    await expectRealm(casey, "Acme Corp", "web-1", "db-1");
    // The header's realm link keeps the choice too.
    await expect(casey.getByRole("link", { name: "Realm", exact: true })).toHaveAttribute("href", "/realm?org=acme");
  });

  test("two tabs in two realms at once: each shows its own organization, live updates included", async ({ pageAs }) => {
    const acmeTab = await pageAs(USERS.casey);
    const globexTab = await acmeTab.context().newPage();
    const bob = await pageAs(USERS.bob);
    await Promise.all([acmeTab.goto("/realm?org=acme"), globexTab.goto("/realm?org=globex")]);
    await expectRealm(acmeTab, "Acme Corp", "web-1", "db-1");
    await expectRealm(globexTab, "Globex", "db-1", "web-1");
    // Both tabs' live-update streams are connected before anything happens.
    await expect(acmeTab.getByTestId("live-status")).toHaveText("● live", { timeout: STATE_TIMEOUT });
    await expect(globexTab.getByTestId("live-status")).toHaveText("● live", { timeout: STATE_TIMEOUT });

    // Casey creates a VM in Acme (API, her first organization); Bob one in Globex.
    const inAcme = uniqueName("sw-acme");
    const inGlobex = uniqueName("sw-globex");
    const acmeVm = await createVm(acmeTab.request, inAcme);
    const globexVm = await createVm(bob.request, inGlobex);
    try {
      // Without a reload, each tab shows only its own realm's new VM.
      await expect(acmeTab.getByTestId(`vm-row-${inAcme}`)).toBeVisible({ timeout: STATE_TIMEOUT });
      await expect(globexTab.getByTestId(`vm-row-${inGlobex}`)).toBeVisible({ timeout: STATE_TIMEOUT });
      await expect(acmeTab.getByTestId(`vm-row-${inGlobex}`)).toHaveCount(0);
      await expect(globexTab.getByTestId(`vm-row-${inAcme}`)).toHaveCount(0);
      await expect(acmeTab.getByTestId("realm-title")).toHaveText("Acme Corp");
      await expect(globexTab.getByTestId("realm-title")).toHaveText("Globex");
      await screenshot(acmeTab, "realm-switcher-two-tabs-acme");
      await screenshot(globexTab, "realm-switcher-two-tabs-globex");
    } finally {
      ok(await trpcMutation(acmeTab.request, "vm.destroy", { vmId: acmeVm }));
      ok(await trpcMutation(bob.request, "vm.destroy", { vmId: globexVm }));
    }
  });

  test("an organization the caller does not belong to answers exactly like no realm at all", async ({ pageAs }) => {
    const [alice, nomad] = await Promise.all([pageAs(USERS.alice), pageAs(USERS.nomad)]);
    const noRealm = await vmListIn(nomad.request, null);
    expect(noRealm).toEqual({ status: 404, error: { code: "NOT_FOUND", message: "realm not found" } });
    // Alice (Acme only) naming Globex, or an organization nobody has: the same answer, never
    // her own realm as a fallback.
    expect(await vmListIn(alice.request, "globex")).toEqual(noRealm);
    expect(await vmListIn(alice.request, `nowhere-${Date.now()}`)).toEqual(noRealm);
    expect((await vmListIn(alice.request, "acme")).names).toContain("web-1");
    expect((await vmListIn(alice.request, null)).names).toContain("web-1");

    // The page: not found, and no switcher for a person in one organization.
    const response = await alice.goto("/realm?org=globex");
    expect(response?.status()).toBe(404);
    await expect(alice.getByRole("heading", { name: "Not found" })).toBeVisible();
    await expect(alice.getByTestId("realm-title")).toHaveCount(0);
    await alice.goto("/realm");
    await expect(alice.getByTestId("realm-title")).toHaveText("Acme Corp");
    await expect(alice.getByTestId("realm-switcher")).toHaveCount(0);
  });

  test("a signed-in user without any membership sees a clear page, and can sign out", async ({ page }) => {
    await signIn(page, USERS.nomad);
    await expect(page).toHaveURL(/\/realm$/);
    await expect(page.getByRole("heading", { name: "You are not a member of any organization yet" })).toBeVisible();
    await expect(page.getByTestId("no-membership")).toContainText("Ask an owner");
    await expect(page.getByRole("heading", { name: "Not found" })).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Realm", exact: true })).toHaveCount(0);
    await expect(page.getByTestId("realm-switcher")).toHaveCount(0);
    await screenshot(page, "realm-no-membership");

    const response = await page.goto("/realm");
    expect(response?.status()).toBe(200);
    await page.getByTestId("no-membership").getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/signin$/);
  });
});
