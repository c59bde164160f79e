import type { APIRequestContext, Locator, Page } from "@playwright/test";
import {
  signInPage,
  createVm,
  expect,
  ok,
  screenshot,
  STATE_TIMEOUT,
  test,
  trpcAllPages,
  trpcMutation,
  trpcQuery,
  uniqueName,
  USERS,
} from "./fixtures";

/**
 * Issue 13, the operator's workbench: a Chinese Wall between realms that share a host is refused
 * with the co-located VMs and the plan, can be added as pending (an alarm until the violation is
 * gone) and is removed only with a confirmation and a reason; explain picks its user and VM by
 * name, and a denial links to explain with the question filled in.
 */

type Realm = { id: string; org: { name: string; slug: string } };
type WallPlan = {
  coLocated: { org: string; name: string; host: string }[];
  plan: { possible: boolean; moves: unknown[] };
};

async function realms(ops: APIRequestContext): Promise<Record<"acme" | "globex", Realm>> {
  const all = await trpcAllPages<Realm>(ops, "operator.realms");
  const bySlug = (slug: string) => all.find((r) => r.org.slug === slug)!;
  return { acme: bySlug("acme"), globex: bySlug("globex") };
}

/** The card (section) with this title on the operator page. */
function card(page: Page, title: string): Locator {
  return page.locator("section", { has: page.getByRole("heading", { name: title, exact: true }) });
}

async function removeWall(ops: APIRequestContext, a: string, b: string): Promise<void> {
  await trpcMutation(ops, "operator.conflicts.remove", {
    realmA: a,
    realmB: b,
    reason: "e2e clean-up: wall no longer needed",
  });
}

test.describe("Chinese Wall between co-located realms", () => {
  // A wall steers every later placement of both realms: no other test runs meanwhile.
  test.use({ platformLock: "exclusive" });

  test("refused with the co-located VMs and the plan, added as pending (an alarm), removed with a reason", async ({
    page,
    pageAs,
  }) => {
    await signInPage(page, USERS.ops);
    const { acme, globex } = await realms(page.request);
    const pair = { realmA: acme.id, realmB: globex.id };
    const reason = `e2e rivals ${uniqueName("cw")}`;
    // Acme and Globex share a host: Acme runs on both demo hosts; Globex gets VMs until it does too.
    const bob = await pageAs(USERS.bob);
    let preview = ok(await trpcQuery<WallPlan>(page.request, "operator.conflicts.plan", pair));
    for (let i = 0; i < 3 && preview.coLocated.length === 0; i++) {
      await createVm(bob.request, uniqueName("e2e-cw"));
      preview = ok(await trpcQuery<WallPlan>(page.request, "operator.conflicts.plan", pair));
    }
    expect(preview.coLocated.length, "Acme and Globex share a host").toBeGreaterThan(0);

    try {
      await page.goto("/operator");
      const panel = card(page, "Chinese Wall (realms that never share a host)");
      // Inside main: while the page streams, React keeps a hidden copy of it outside main.
      const form = page.getByRole("main").getByTestId("conflict-form");
      const submit = form.getByRole("button", { name: "Never co-locate" });

      // A realm cannot conflict with itself.
      await form.locator('select[name="realmA"]').selectOption({ label: "Acme Corp" });
      await form.locator('select[name="realmB"]').selectOption({ label: "Acme Corp" });
      await form.locator('[name="reason"]').fill(reason);
      await submit.click();
      await expect(panel.getByRole("alert")).toContainText("realmB must differ from realmA");

      // Acme and Globex: refused, with the VMs that share a host and the plan.
      await form.locator('select[name="realmB"]').selectOption({ label: "Globex" });
      await submit.click();
      const refusal = panel.getByTestId("wall-refusal");
      await expect(refusal).toContainText("Refused: these realms share a host now");
      const colocated = refusal.getByTestId("wall-colocated").locator("tbody tr");
      await expect(colocated).toHaveCount(preview.coLocated.length);
      for (const vm of preview.coLocated) await expect(refusal.getByTestId("wall-colocated")).toContainText(vm.name);
      await expect(refusal.getByTestId("wall-colocated")).toContainText("Acme Corp");
      await expect(refusal.getByTestId("wall-colocated")).toContainText("Globex");
      const plan = refusal.getByTestId("wall-plan");
      await expect(plan).toContainText(
        preview.plan.possible ? /move (Acme Corp|Globex)'s \S+ from xen-\S+ to xen-\S+/ : /No plan satisfies it/,
      );
      // Nothing stored yet.
      await expect(page.getByTestId("conflicts-table").locator("tbody tr")).toHaveCount(0);
      await panel.scrollIntoViewIfNeeded();
      await screenshot(page, "operator-wall-refused-with-plan");

      // Added anyway, as pending: stored, marked, and an alarm naming the VMs.
      await refusal.getByRole("button", { name: "Add anyway as pending" }).click();
      await expect(panel.getByTestId("wall-outcome")).toContainText("Wall added as pending");
      const row = page.getByTestId("conflicts-table").locator("tbody tr", { hasText: reason });
      await expect(row).toContainText("pending: violated now", { timeout: STATE_TIMEOUT });
      const alarm = page.getByTestId("wall-alarms").locator('[role="alert"]', { hasText: reason });
      await expect(alarm).toContainText(/is violated: they share xen-/, { timeout: STATE_TIMEOUT });
      for (const vm of preview.coLocated) await expect(alarm).toContainText(vm.name);
      await card(page, "Chinese Wall alarms").scrollIntoViewIfNeeded();
      await screenshot(page, "operator-wall-pending-alarm");

      // The same pair again, whichever way round: it exists.
      await form.locator('select[name="realmA"]').selectOption({ label: "Globex" });
      await form.locator('select[name="realmB"]').selectOption({ label: "Acme Corp" });
      await submit.click();
      await expect(panel.getByRole("alert")).toHaveText("these two realms are already in a conflict set");

      // Removing asks for confirmation and a reason (the API refuses it without one).
      const noReason = await trpcMutation(page.request, "operator.conflicts.remove", pair);
      expect(noReason.error?.code).toBe("BAD_REQUEST");
      await row.getByRole("button", { name: "Remove" }).click();
      const confirm = panel.getByTestId("wall-remove-confirm");
      await expect(confirm).toContainText("Remove the wall between");
      await confirm.getByRole("button", { name: "Cancel" }).click();
      await expect(confirm).toHaveCount(0);
      await expect(row).toHaveCount(1);
      await row.getByRole("button", { name: "Remove" }).click();
      await confirm.locator('[name="reason"]').fill("e2e: the rivalry is over");
      await confirm.scrollIntoViewIfNeeded();
      await screenshot(page, "operator-wall-remove-confirm");
      await confirm.getByRole("button", { name: "Remove the wall" }).click();
      await expect(row).toHaveCount(0);
      await expect(page.getByTestId("wall-alarms-empty")).toBeVisible({ timeout: STATE_TIMEOUT });
      const walls = await trpcAllPages<{ realmA: string; realmB: string }>(page.request, "operator.conflicts.list");
      expect(walls.map((w) => [w.realmA, w.realmB].sort().join("/"))).not.toContain(
        [acme.id, globex.id].sort().join("/"),
      );
      await screenshot(page, "operator-wall-removed");
    } finally {
      // Never leave the wall up: it would steer every later placement of both realms.
      await removeWall(page.request, acme.id, globex.id);
    }
  });
});

test.describe("explain by name", () => {
  test("a denial links to explain pre-filled; a user and a VM are picked by name from every realm", async ({
    page,
    pageAs,
  }) => {
    const [alice, bob] = await Promise.all([pageAs(USERS.alice), pageAs(USERS.bob)]);
    // Acme's seeded guest: a VM that exists whatever the worker is busy with (a fresh one waits
    // for its create, which earlier wall tests can hold up while hosts reload their ACM policy).
    const name = "web-1";
    const vmId = (await trpcAllPages<{ id: string; name: string }>(alice.request, "vm.list")).find(
      (v) => v.name === name,
    )!.id;
    expect(vmId).toBeDefined();
    // Bob probes Acme's VM by id: not found for him; a denial for the operators.
    const probe = await trpcMutation(bob.request, "vm.start", { vmId });
    expect(probe.error?.code).toBe("NOT_FOUND");

    await signInPage(page, USERS.ops);
    await page.goto("/operator");
    const denials = page.getByTestId("denials-table");
    const denial = denials
      .locator("tr", { hasText: USERS.bob })
      .filter({ has: page.locator(`a[href*="${vmId}"]`) })
      .first();
    await expect(denial).toBeVisible({ timeout: STATE_TIMEOUT });
    await card(page, "Denials across realms").scrollIntoViewIfNeeded();
    await screenshot(page, "operator-denial-explain-link");
    await denial.getByTestId("audit-explain-link").click();

    // Explain, filled in from the denial and asked at once.
    const form = page.getByRole("main").getByTestId("explain-form");
    const answer = page.getByRole("main").getByTestId("explain-answer");
    await expect(form.locator('[name="userEmail"]')).toHaveValue(USERS.bob);
    await expect(form.locator('[name="permission"]')).toHaveValue("vm.start");
    await expect(answer.locator("p")).toHaveText(
      `Bob Owner may not vm.start ${name} (Acme Corp): denied by trpc — the VM belongs to another realm: the user would get NOT_FOUND`,
    );
    await card(page, "Explain a decision").scrollIntoViewIfNeeded();
    await screenshot(page, "operator-explain-from-denial");

    // By name: Olivia (typed "oliv"), the VM (typed a prefix of its name), any permission of the catalog.
    const permissions = await form.locator('[name="permission"] option').allTextContents();
    expect(permissions).toEqual(
      expect.arrayContaining([
        "vm.migrate",
        "vm.devices",
        "storage.manage",
        "realm.members.manage",
        "realm.tokens.manage",
      ]),
    );
    expect(permissions.length).toBeGreaterThan(5);
    await form.locator('[name="userEmail"]').fill("oliv");
    await form
      .getByTestId("explain-user-matches")
      .getByRole("button", { name: /Olivia Operator/ })
      .click();
    await expect(form.locator('[name="userEmail"]')).toHaveValue(USERS.olivia);
    await form.locator('[name="vmSearch"]').fill(name.slice(0, -2));
    const vmMatch = form
      .getByTestId("explain-vm-matches")
      .getByRole("button", { name: new RegExp(`^${name}\\b`) })
      .filter({ hasText: "Acme Corp" })
      .first();
    await expect(vmMatch).toContainText("Acme Corp");
    await vmMatch.click();
    await expect(form.getByTestId("explain-vm-picked")).toHaveText(`picked: ${name} (Acme Corp)`);
    await form.locator('[name="permission"]').selectOption("vm.migrate");
    await form.getByRole("button", { name: "Explain" }).click();
    await expect(answer.locator("p")).toHaveText(
      new RegExp(`^Olivia Operator may (not )?vm\\.migrate ${name} \\(Acme Corp\\)`),
    );
    await expect(answer.getByTestId("explain-layer-database")).toContainText(
      "row-level security shows the VM inside the user's realm",
    );
    await card(page, "Explain a decision").scrollIntoViewIfNeeded();
    await screenshot(page, "operator-explain-by-name");

    // Operators only: the pickers are not found for a tenant.
    const asAlice = await trpcQuery(alice.request, "operator.search.vms", { query: "e2e" });
    expect(asAlice.error?.code).toBe("NOT_FOUND");
  });
});

test.describe("break-glass grants", () => {
  test.use({ platformLock: "exclusive" });

  test("show their own state words (active, revoked, with when), not VM state badges", async ({ page }) => {
    await signInPage(page, USERS.ops);
    const { globex } = await realms(page.request);
    const reason = `e2e state words ${uniqueName("bg")}`;
    const { grantId } = ok(
      await trpcMutation<{ grantId: string }>(page.request, "operator.breakGlass.request", {
        realmId: globex.id,
        reason,
        minutes: 15,
      }),
    );
    try {
      await page.goto("/operator");
      const row = page.getByTestId(`grant-row-${grantId}`);
      await expect(row.getByTestId("grant-state-active")).toHaveText(/^active until \d/);
      await expect(row.getByText("running", { exact: true })).toHaveCount(0);
      await row.getByRole("button", { name: "Revoke" }).click();
      await expect(row.getByTestId("grant-state-revoked")).toHaveText(/^revoked \d/);
      await expect(row.getByText("stopped", { exact: true })).toHaveCount(0);
      await card(page, "Break-glass access").scrollIntoViewIfNeeded();
      await screenshot(page, "operator-break-glass-state-words");
    } finally {
      await trpcMutation(page.request, "operator.breakGlass.revoke", { grantId });
    }
  });
});
