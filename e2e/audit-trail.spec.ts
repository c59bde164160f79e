import { randomUUID } from "node:crypto";
import type { Page } from "@playwright/test";
import {
  signInPage,
  createVm,
  expect,
  expectVmState,
  ok,
  STATE_TIMEOUT,
  test,
  trpcAllPages,
  trpcMutation,
  trpcQuery,
  uniqueName,
  USERS,
} from "./fixtures";

/**
 * The readable audit trail (issue 13; components/audit/*): an org admin reads the realm's trail
 * (actor and target by name, an action's phases in one row, filters, older pages), a viewer is
 * told plainly that the role cannot read it, and an operator filters denials to the attempts
 * against one realm and opens explain, filled in, from one of them.
 */

type TrailRow = { id: string; action: string; targetId: string | null; targetName: string | null; status: string; phases: { phase: string }[] };
type Realm = { id: string; org: { name: string; slug: string } };

const shot = (page: Page, name: string) => page.screenshot({ path: test.info().outputPath(`${name}.png`), fullPage: true });

test("an org admin reads the trail: names, one row per action with its phases, filters, older pages", async ({ pageAs }) => {
  const [alice, casey] = await Promise.all([pageAs(USERS.alice), pageAs(USERS.casey)]);
  const name = uniqueName("e2e-trail");
  const vmId = await createVm(alice.request, name);
  ok(await trpcMutation(alice.request, "vm.start", { vmId }));
  await expectVmState(alice.request, vmId, "running");

  // The row for the start: authorized, then applied, in one row (the worker's outcome is a phase).
  await expect
    .poll(async () => ok(await trpcQuery<{ items: TrailRow[] }>(casey.request, "realm.audit", { action: "vm.start", target: vmId })).items[0]?.status, { timeout: STATE_TIMEOUT })
    .toBe("applied");
  const [start] = ok(await trpcQuery<{ items: TrailRow[] }>(casey.request, "realm.audit", { action: "vm.start", target: vmId })).items;
  expect(start!.phases.map((p) => p.phase)).toEqual(["applied"]);

  await casey.goto("/realm/audit?action=vm.start");
  const main = casey.getByRole("main");
  await expect(main.getByRole("heading", { name: "Audit trail" })).toBeVisible();
  const table = main.getByTestId("realm-audit");
  for (const header of ["When", "Actor", "Action", "Target", "Decision", "Layer", "Reason", "Request"]) {
    await expect(table.getByRole("columnheader", { name: header, exact: true })).toBeVisible();
  }
  const row = table.getByTestId(`audit-row-${start!.id}`);
  await expect(row.getByTestId("audit-actor")).toContainText("Alice Admin");
  await expect(row.getByTestId("audit-actor")).toContainText(USERS.alice);
  await expect(row.getByTestId("audit-action")).toHaveText("Start VM");
  await expect(row.getByTestId("audit-target")).toContainText(name);
  await expect(row.getByTestId("audit-phases")).toContainText("authorized");
  await expect(row.getByTestId("audit-phases")).toContainText("applied");
  // The date is there, not only the time: the year shows.
  await expect(row.locator("time")).toContainText(String(new Date().getFullYear()));
  // Only starts: every row says so.
  const actions = await table.getByTestId("audit-action").allTextContents();
  expect(actions.length).toBeGreaterThan(0);
  expect(new Set(actions)).toEqual(new Set(["Start VM"]));
  // The raw rule sits behind a disclosure.
  await row.getByTestId("audit-raw").locator("summary").click();
  await expect(row.getByTestId("audit-raw")).toContainText("role:owner grants vm.start");
  await shot(casey, "realm-audit-filtered");

  // Filter through the form: the create of this VM, by its name.
  const filters = main.getByTestId("audit-filters");
  await filters.getByLabel("Action").fill("vm.create");
  await filters.getByLabel("Target").fill(name);
  await filters.getByRole("button", { name: "Filter" }).click();
  await expect(casey).toHaveURL(/action=vm\.create/);
  await expect(table.getByTestId("audit-action")).toHaveText(["Create VM"]);
  await expect(table.getByTestId("audit-target")).toContainText([name]);

  // Every action, five a page, then the older page: other rows, and the way back to the newer ones.
  await filters.getByRole("button", { name: "Clear" }).click();
  await expect(casey).not.toHaveURL(/action=/);
  await casey.goto("/realm/audit?limit=5");
  const rowIds = () => table.locator("tbody tr").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-testid")));
  await expect(table.locator("tbody tr")).toHaveCount(5);
  const firstIds = await rowIds();
  await main.getByTestId("audit-older").click();
  await expect(casey).toHaveURL(/before=\d+/);
  await expect(casey).toHaveURL(/limit=5/);
  // The older page has loaded: rows, and not the first page's.
  await expect.poll(async () => { const ids = await rowIds(); return ids.length > 0 && ids[0] !== firstIds[0]; }).toBe(true);
  const olderIds = await rowIds();
  expect(olderIds.filter((id) => firstIds.includes(id))).toEqual([]);
  // Newer leads back to the first page.
  await main.getByTestId("audit-newer").click();
  await expect(casey).toHaveURL(/after=\d+/);
  await expect(main.getByText("Could not load the audit trail")).toHaveCount(0);
  // The five rows right after the older page's first: the first page (newer events other tests
  // write meanwhile come after them).
  await expect.poll(rowIds).toEqual(firstIds);
  // The export link carries the filters (none here: the format only).
  await expect(main.getByTestId("audit-export-csv")).toHaveAttribute("href", "/api/v1/audit/export?format=csv");
  await shot(casey, "realm-audit-older");
});

test("the header links to the realm's trail only for a role that may read it", async ({ pageAs }) => {
  const [casey, victor] = await Promise.all([pageAs(USERS.casey), pageAs(USERS.victor)]);
  await casey.goto("/realm");
  const link = casey.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit", exact: true });
  await expect(link).toHaveAttribute("href", /^\/realm\/audit/);
  await link.click();
  await expect(casey.getByTestId("realm-audit")).toBeVisible();
  // A viewer has no audit.read: no link (the page still says why, if reached).
  await victor.goto("/realm");
  await expect(victor.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit", exact: true })).toHaveCount(0);
});

test("a viewer reads plainly that the role cannot read the audit trail", async ({ pageAs }) => {
  const victor = await pageAs(USERS.victor);
  await victor.goto("/realm/audit");
  const notice = victor.getByRole("main").getByTestId("audit-forbidden");
  await expect(notice).toHaveText("Your role (viewer) cannot read the audit trail; ask an owner or admin.");
  await expect(victor.getByTestId("realm-audit")).toHaveCount(0);
  await shot(victor, "realm-audit-viewer");
  // The dashboard says the same where the trail would be.
  await victor.goto("/realm");
  await expect(victor.getByRole("main").getByTestId("audit-forbidden")).toBeVisible();
  // And the API refuses it.
  const audit = await trpcQuery(victor.request, "realm.audit", { limit: 5 });
  expect(audit.error).toMatchObject({ code: "FORBIDDEN", message: "your role (viewer) does not allow audit.read" });
});

test.describe("operators", () => {
  // Reads every realm's newest denials: nothing platform-wide changes meanwhile.
  test.use({ platformLock: "exclusive" });

  test("filter denials to the attempts against one realm, then explain one, filled in", async ({ page, pageAs }) => {
    test.setTimeout(120_000);
    const [alice, bob] = await Promise.all([pageAs(USERS.alice), pageAs(USERS.bob)]);
    const probedName = uniqueName("e2e-probed");
    const vmId = await createVm(alice.request, probedName);
    // Bob (Globex) names Acme's VM: not found, exactly as for an id that exists nowhere.
    const probe = await trpcMutation(bob.request, "vm.start", { vmId });
    expect(probe.error).toMatchObject({ code: "NOT_FOUND", message: "VM not found" });
    const nowhere = await trpcMutation(bob.request, "vm.start", { vmId: randomUUID() });
    expect(nowhere.error).toEqual(probe.error);
    // Bob's own trail never names Acme.
    const bobTrail = await trpcQuery(bob.request, "realm.audit", { decision: "deny", limit: 20 });
    const acmeRealmLeak = JSON.stringify(bobTrail);

    await signInPage(page, USERS.ops);
    const realms = await trpcAllPages<Realm>(page.request, "operator.realms");
    const acme = realms.find((r) => r.org.slug === "acme")!;
    expect(acmeRealmLeak).not.toContain(acme.id);

    await page.goto("/operator");
    const main = page.getByRole("main");
    const filters = main.getByTestId("denials-table-filters");
    await filters.getByLabel("Attempts against realm").selectOption({ label: acme.org.name });
    await filters.getByRole("button", { name: "Filter" }).click();
    await expect(page).toHaveURL(new RegExp(`againstRealmId=${acme.id}`));
    const table = main.getByTestId("denials-table");
    const crossRealm = table.getByTestId("audit-cross-realm").first();
    await expect(crossRealm).toHaveText(`Globex user → ${acme.org.name}'s vm`, { timeout: STATE_TIMEOUT });
    // Every row listed is an attempt against Acme.
    const rows = table.locator("tbody tr");
    await expect.poll(async () => (await rows.count()) - (await table.getByTestId("audit-cross-realm").count())).toBe(0);
    const row = rows.filter({ has: page.getByText(USERS.bob) }).first();
    await expect(row.getByTestId("audit-action")).toHaveText("Start VM");
    // The operator reads which VM of Acme's was named (the tenant never does).
    await expect(row.getByTestId("audit-target")).toContainText(probedName);
    await expect(row).toContainText("No such VM in this realm");
    await page.getByRole("heading", { name: "Denials across realms" }).scrollIntoViewIfNeeded();
    await shot(page, "operator-denials-against-acme");

    await row.getByTestId("audit-explain-link").click();
    await expect(page).toHaveURL(/explainUser=/);
    const form = main.getByTestId("explain-form");
    await expect(form.getByLabel("User (name or email)")).toHaveValue(USERS.bob);
    await expect(form.getByLabel("Permission")).toHaveValue("vm.start");
    await expect(main.getByTestId("explain-answer")).toBeVisible({ timeout: STATE_TIMEOUT });
    await shot(page, "operator-explain-from-denial");
  });
});
