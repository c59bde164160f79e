import { randomUUID } from "node:crypto";
import type { APIRequestContext, Locator, Page } from "@playwright/test";
import {
  apiSignIn, signInPage,
  createVm,
  expect,
  expectVmState,
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
 * The operator page's tools (components/operator/*): denials across realms, "explain a
 * decision", break-glass, and the realm's own audit trail
 * (components/realm/audit-trail.tsx) where tenants see what happened in their realm.
 */

type Realm = { id: string; org: { name: string; slug: string }; category: string };
type AuditEvent = {
  id: string;
  action: string;
  decision: string;
  layer: string;
  reason: string;
  org: string | null;
  actor: string | null;
  details: { unverifiedVmId?: string; foreign?: boolean } | null;
};
type RealmAuditEvent = {
  id: string;
  action: string;
  targetId: string | null;
  actorId: string | null;
  decision: string;
  layer: string;
  reason: string;
};
type Grant = { id: string; reason: string; revokedAt: Date | null; expiresAt: Date; operator: { email: string } };

async function realms(ops: APIRequestContext): Promise<Record<"acme" | "globex", Realm>> {
  const all = await trpcAllPages<Realm>(ops, "operator.realms");
  const bySlug = (slug: string) => all.find((r) => r.org.slug === slug)!;
  return { acme: bySlug("acme"), globex: bySlug("globex") };
}

/** The card (section) with this title on the operator page. */
function card(page: Page, title: string): Locator {
  return page.locator("section", { has: page.getByRole("heading", { name: title, exact: true }) });
}

async function expectNotFound(page: Page, url: string): Promise<void> {
  const response = await page.goto(url);
  expect(response?.status(), `${url} is not found`).toBe(404);
  await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
  await expect(page.getByTestId("realm-title")).toHaveCount(0);
}

async function meId(request: APIRequestContext): Promise<string> {
  return ok(await trpcQuery<{ id: string }>(request, "session.me")).id;
}

test.describe("operator tools", () => {
  test("explain a decision: alice may start her VM on all three layers; bob may not, with the AVC line", async ({
    page,
    pageAs,
  }) => {
    const alice = await pageAs(USERS.alice);
    const name = uniqueName("e2e-explain");
    const vmId = await createVm(alice.request, name);

    await signInPage(page, USERS.ops);
    const { acme, globex } = await realms(page.request);
    await page.goto("/operator");
    const form = page.getByRole("main").getByTestId("explain-form");
    const answer = page.getByRole("main").getByTestId("explain-answer");
    const layer = (l: "trpc" | "database" | "hypervisor") => answer.getByTestId(`explain-layer-${l}`);
    const ask = async (email: string, permission: string, id: string) => {
      // The raw VM id is the form's advanced option (the VM is picked by name otherwise).
      await form.getByTestId("explain-advanced").evaluate((details) => ((details as HTMLDetailsElement).open = true));
      await form.locator('[name="userEmail"]').fill(email);
      await form.locator('[name="permission"]').selectOption(permission);
      await form.locator('[name="vmId"]').fill(id);
      await form.getByRole("button", { name: "Explain" }).click();
    };

    // Alice, her own VM: allowed by the role, visible through row-level security, allowed by FLASK.
    await ask(USERS.alice, "vm.start", vmId);
    await expect(answer.locator("p")).toHaveText(`Alice Admin may vm.start ${name} (Acme Corp)`);
    await expect(layer("trpc")).toHaveText("succeeded trpc: role:owner grants vm.start");
    await expect(layer("database")).toHaveText(
      "succeeded database: row-level security shows the VM inside the user's realm",
    );
    await expect(layer("hypervisor")).toContainText(
      `succeeded hypervisor: policy allows domain { unpause } from system_u:system_r:realm_mgmt_t:${acme.category} to system_u:system_r:realm_guest_t:${acme.category}`,
    );
    await expect(layer("hypervisor").locator("div")).toHaveCount(0);
    await screenshot(page, "operator-explain-allowed");

    // Bob, the same VM: NOT_FOUND for him on the first layer, hidden on the second, and the
    // hypervisor's MLS constraint refuses his management domain, with the AVC line.
    await ask(USERS.bob, "vm.start", vmId);
    await expect(answer.locator("p")).toHaveText(
      `Bob Owner may not vm.start ${name} (Acme Corp): denied by trpc — the VM belongs to another realm: the user would get NOT_FOUND`,
    );
    await expect(layer("trpc")).toHaveText(
      "failed trpc: the VM belongs to another realm: the user would get NOT_FOUND",
    );
    await expect(layer("database")).toHaveText(
      "failed database: row-level security hides the VM from the user's realm",
    );
    await expect(layer("hypervisor")).toContainText("failed hypervisor: unpause: constraint");
    const avc = layer("hypervisor").locator("div");
    await expect(avc).toHaveCount(1);
    // textContent keeps the AVC format's double spaces (toHaveText would collapse them).
    expect(await avc.textContent()).toBe(
      `avc:  denied  { unpause } for scontext=system_u:system_r:realm_mgmt_t:${globex.category} ` +
        `tcontext=system_u:system_r:realm_guest_t:${acme.category} tclass=domain`,
    );
    await screenshot(page, "operator-explain-denied");

    // Olivia, same realm, a permission her role lacks: only the first layer refuses.
    await ask(USERS.olivia, "vm.destroy", vmId);
    await expect(answer.locator("p")).toHaveText(
      `Olivia Operator may not vm.destroy ${name} (Acme Corp): denied by trpc — role:operator lacks vm.destroy`,
    );
    await expect(layer("database").locator("span").first()).toHaveText("succeeded");
    await expect(layer("hypervisor").locator("span").first()).toHaveText("succeeded");

    // Unknown user, unknown VM.
    await ask("nobody@nowhere.test", "vm.start", vmId);
    await expect(answer.locator("p")).toHaveText("no such user");
    await expect(answer.locator("li")).toHaveCount(0);
    await ask(USERS.alice, "vm.start", randomUUID());
    await expect(answer.locator("p")).toHaveText("no such VM");

    // Explaining did nothing.
    await expectVmState(alice.request, vmId, "stopped");
    const history = ok(await trpcQuery<{ items: { action: string }[] }>(alice.request, "vm.history", { vmId })).items;
    expect(history.map((op) => op.action)).toEqual(["create"]);

    // Operators only.
    const asAlice = await trpcQuery(alice.request, "operator.explain", {
      userEmail: USERS.bob,
      permission: "vm.start",
      vmId,
    });
    expect(asAlice.error?.code).toBe("NOT_FOUND");
  });

  test("olivia and victor are told their role cannot read the audit trail; realm.audit is FORBIDDEN for them", async ({ pageAs }) => {
    for (const [who, role] of [
      [USERS.olivia, "operator"],
      [USERS.victor, "viewer"],
    ] as const) {
      const page = await pageAs(who);
      await page.goto("/realm");
      await expect(page.getByText(`your role: ${role === "operator" ? "VM operator" : role}`)).toBeVisible();
      await expect(page.getByTestId("storage-networks")).toBeVisible();
      // The card says so plainly instead of hiding (issue 13).
      await expect(page.getByRole("main").getByTestId("audit-forbidden")).toHaveText(
        `Your role (${role === "operator" ? "VM operator" : role}) cannot read the audit trail; ask an owner or admin.`,
      );
      await expect(page.getByTestId("realm-audit-recent")).toHaveCount(0);
      const audit = await trpcQuery(page.request, "realm.audit", { limit: 5 });
      expect(audit.error?.code).toBe("FORBIDDEN");
      expect(audit.error?.message).toBe(`your role (${role}) does not allow audit.read`);
    }
  });
});

/**
 * These change or read platform-wide state (ops's break-glass grant, conflict sets that steer
 * every placement of both realms, the newest denials of all realms, the newest events of Acme's
 * trail): nothing else runs meanwhile (see `platformLock` in fixtures.ts).
 */
test.describe("operator tools (platform-wide)", () => {
  test.use({ platformLock: "exclusive" });

  test("denials across realms: bob's attempts on an Acme VM are listed under Globex", async ({ page, pageAs }) => {
    const [alice, bob] = await Promise.all([pageAs(USERS.alice), pageAs(USERS.bob)]);
    const name = uniqueName("e2e-denied");
    const vmId = await createVm(alice.request, name);

    // Bob opens the VM's page and tries to start it: not found, both times.
    const response = await bob.goto(`/realm/vms/${vmId}`);
    expect(response?.status()).toBe(404);
    const start = await trpcMutation(bob.request, "vm.start", { vmId });
    expect(start.error).toMatchObject({ code: "NOT_FOUND", message: "VM not found" });
    // The same answer for an id that exists nowhere.
    const random = randomUUID();
    const startRandom = await trpcMutation(bob.request, "vm.start", { vmId: random });
    expect(startRandom.error).toEqual(start.error);

    // Operators see which realm tried, who, what and why; which realm the id belongs to is theirs
    // alone (kept beside the record, shown in the table below), never in the record's details,
    // which the tenant reads and exports.
    await signInPage(page, USERS.ops);
    const denials = ok(await trpcQuery<{ items: AuditEvent[] }>(page.request, "operator.denials", { limit: 25 })).items;
    const mine = denials.filter((d) => d.details?.unverifiedVmId === vmId);
    expect(mine.map((d) => [d.action, d.reason])).toEqual([
      ["vm.start", "VM not found in this realm (vm.start)"],
      ["vm.read", "VM not found in this realm (vm.get)"],
    ]);
    for (const d of mine) {
      expect(d).toMatchObject({
        org: "Globex",
        actor: USERS.bob,
        decision: "deny",
        layer: "trpc",
      });
      expect(d.details).not.toHaveProperty("foreign");
    }
    const onRandom = denials.find((d) => d.details?.unverifiedVmId === random);
    expect(onRandom).toMatchObject({ org: "Globex", action: "vm.start" });

    await page.goto("/operator");
    const table = page.getByTestId("denials-table");
    // The shared trail table (components/audit): both sides of the attempt, by name, in words.
    for (const d of mine) {
      const row = table.getByTestId(`audit-row-${d.id}`);
      await expect(row.locator("td").nth(1)).toHaveText("Globex user → Acme Corp's vm", { timeout: STATE_TIMEOUT });
      await expect(row.getByTestId("audit-actor")).toContainText(USERS.bob);
      await expect(row.getByTestId("audit-action")).toHaveText(d.action === "vm.start" ? "Start VM" : "View VM");
      await expect(row.getByTestId("audit-phases")).toContainText("denied");
      await expect(row.locator("td").nth(6)).toHaveText("trpc");
      await expect(row.locator("td").nth(7)).toContainText("No such VM in this realm");
      await expect(row.locator("td").nth(7)).toContainText(d.reason);
    }
    await card(page, "Denials across realms").scrollIntoViewIfNeeded();
    await screenshot(page, "operator-denials");

    // The denials belong to bob's realm: Acme's own trail does not show them.
    const acmeTrail = ok(await trpcQuery<{ items: RealmAuditEvent[] }>(alice.request, "realm.audit", { limit: 200 })).items;
    expect(acmeTrail.map((e) => e.id)).not.toContain(mine[0]!.id);
    expect(acmeTrail.map((e) => e.id)).not.toContain(mine[1]!.id);
  });

  test("the realm's audit trail shows alice's own actions", async ({ page }) => {
    await apiSignIn(page.request, USERS.alice);
    const aliceId = await meId(page.request);
    const name = uniqueName("e2e-audit");
    const vmId = await createVm(page.request, name);
    ok(await trpcMutation(page.request, "vm.start", { vmId }));
    await expectVmState(page.request, vmId, "running");
    const disk = uniqueName("e2e-audit-disk");
    const { diskId } = ok(
      await trpcMutation<{ diskId: string }>(page.request, "disk.create", { name: disk, sizeGb: 3 }),
    );

    await page.goto("/realm/audit");
    await expect(page.getByTestId("realm-audit")).toBeVisible();
    const trail = ok(await trpcQuery<{ items: RealmAuditEvent[] }>(page.request, "realm.audit", { limit: 30 })).items;
    const byAlice = (action: string, targetId: string) =>
      trail.find((e) => e.action === action && e.targetId === targetId && e.actorId === aliceId && e.layer === "trpc");
    const expected = [
      [byAlice("vm.create", vmId), "vm.create", /^role:owner grants vm\.create; placed on xen-[ab]$/],
      [byAlice("vm.start", vmId), "vm.start", /^role:owner grants vm\.start$/],
      [byAlice("disk.create", diskId), "disk.create", /^role:owner grants storage\.manage; 3 GiB$/],
    ] as const;
    for (const [event, action, reason] of expected) {
      expect(event, `${action} by alice in the trail`).toBeDefined();
      expect(event!.reason).toMatch(reason);
      const row = page.getByTestId("realm-audit").getByTestId(`audit-row-${event!.id}`);
      await expect(row.getByTestId("audit-action")).toHaveAttribute("title", action);
      await expect(row.getByTestId("audit-actor")).toContainText(USERS.alice);
      await expect(row.locator("td").nth(5)).toHaveText(/^trpc/);
    }
    // The worker's confirmation of the start is a phase of alice's request: the same row.
    const start = trail.find((e) => e.action === "vm.start" && e.targetId === vmId)!;
    expect(trail.filter((e) => e.action === "vm.start" && e.targetId === vmId)).toHaveLength(1);
    await expect(page.getByTestId("realm-audit").getByTestId(`audit-row-${start.id}`).getByTestId("audit-phases")).toContainText("applied", { timeout: STATE_TIMEOUT });
    await page.getByRole("heading", { name: "Audit trail" }).scrollIntoViewIfNeeded();
    await screenshot(page, "realm-audit-trail");

    ok(await trpcMutation(page.request, "disk.delete", { diskId }));
    ok(await trpcMutation(page.request, "vm.destroy", { vmId }));
  });

  test("break-glass: ops gets Acme's realm for a while, alice sees it in her trail, revoking ends it", async ({
    page,
    pageAs,
  }) => {
    await signInPage(page, USERS.ops);
    const reason = `e2e incident ${uniqueName("inc")}: customer asked for help`;
    try {
      await expectNotFound(page, "/realm");

      await page.goto("/operator");
      // Inside main: while the page streams, React keeps a hidden copy of it outside main.
      const form = page.getByRole("main").getByTestId("break-glass-form");
      const panel = card(page, "Break-glass access");
      await form.locator('select[name="realmId"]').selectOption({ label: "Acme Corp" });
      await form.locator('select[name="minutes"]').selectOption("15");

      // A reason is required.
      await form.locator('[name="reason"]').fill("because");
      await form.getByRole("button", { name: "Break glass" }).click();
      await expect(panel.getByRole("alert")).toBeVisible();
      await expect(page.getByTestId("break-glass-banner")).toHaveCount(0);

      await form.locator('[name="reason"]').fill(reason);
      await form.getByRole("button", { name: "Break glass" }).click();
      const grantRow = page.getByTestId("break-glass-grants").locator("tr", { hasText: reason });
      await expect(grantRow.locator("td")).toHaveText(["Acme Corp", USERS.ops, reason, /^active until \d/, "Revoke"]);
      await expect(panel.getByRole("alert")).toHaveCount(0);
      // The header says so, on every page.
      const banner = page.getByTestId("break-glass-banner");
      await expect(banner).toHaveText(/^break-glass: Acme Corp until \d/);
      await expect(page.getByRole("navigation").getByRole("link", { name: "Realm" })).toBeVisible();
      await card(page, "Break-glass access").scrollIntoViewIfNeeded();
      await screenshot(page, "operator-break-glass-granted");

      // One grant at a time.
      await form.locator('[name="reason"]').fill(`${reason} (second)`);
      await form.getByRole("button", { name: "Break glass" }).click();
      await expect(panel.getByRole("alert")).toHaveText(
        /^you already hold an active break-glass grant \([0-9a-f-]{36}\); revoke it first$/,
      );

      // Acme's dashboard, as admin of the grant.
      await page.goto("/realm");
      await expect(page.getByTestId("realm-title")).toHaveText("Acme Corp");
      await expect(page.getByText("your role: admin")).toBeVisible();
      await expect(page.getByTestId("vm-row-web-1")).toBeVisible();
      await expect(banner).toBeVisible();
      await screenshot(page, "operator-break-glass-realm");

      // Alice sees the grant, with its reason, in her realm's trail.
      const alice = await pageAs(USERS.alice);
      await alice.goto("/realm/audit");
      const grantEntry = alice.getByTestId("realm-audit").locator("tr", { hasText: reason });
      await expect(grantEntry.getByTestId("audit-action")).toHaveText("Grant break-glass access");
      await expect(grantEntry.locator("td").nth(5)).toHaveText("trpc");
      await expect(grantEntry.locator("td").nth(6)).toContainText(new RegExp(`break-glass until \\S+: ${reason}`));
      await alice.getByRole("heading", { name: "Audit trail" }).scrollIntoViewIfNeeded();
      await screenshot(alice, "realm-audit-break-glass");

      // Revoke: the banner goes, the realm is out of reach again.
      await page.goto("/operator");
      await grantRow.getByRole("button", { name: "Revoke" }).click();
      await expect(grantRow.locator("td").nth(3)).toHaveText(/^revoked \d/);
      await expect(grantRow.getByRole("button", { name: "Revoke" })).toHaveCount(0);
      await expect(banner).toHaveCount(0);
      await screenshot(page, "operator-break-glass-revoked");
      await expectNotFound(page, "/realm");

      const grant = (await trpcAllPages<Grant>(page.request, "operator.breakGlass.list")).find(
        (g) => g.reason === reason,
      )!;
      await alice.reload();
      const revokeEntry = alice
        .getByTestId("realm-audit")
        .locator("tr", { hasText: `revoked break-glass grant ${grant.id}` });
      await expect(revokeEntry.getByTestId("audit-action")).toHaveText("Revoke break-glass access");
    } finally {
      // Never leave ops with a grant (other tests expect /realm to be not-found for ops).
      const grants = (await trpcAllPages<Grant>(page.request, "operator.breakGlass.list"));
      for (const g of grants.filter((g) => g.operator.email === USERS.ops && !g.revokedAt)) {
        await trpcMutation(page.request, "operator.breakGlass.revoke", { grantId: g.id });
      }
    }
  });
  // The Chinese Wall's journeys (refusal with the plan, pending, removal with a reason): operator-workbench.spec.ts.
});
