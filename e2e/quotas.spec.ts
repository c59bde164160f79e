import { createVm, expect, ok, screenshot, STATE_TIMEOUT, test, trpcAllPages, trpcMutation, trpcQuery, uniqueName, USERS } from "./fixtures";

/**
 * Realm quotas in the browser: members see their usage against their quota; an operator caps
 * Acme's VM count at what it uses, and alice's next create is refused in words on the form, then
 * the operator restores the limit. Changing Acme's quota would refuse other specs' creates in
 * Acme, so nothing else runs meanwhile (platformLock "exclusive"), and the limit is restored in
 * a finally block.
 */

type Amounts = { vcpus: number; memoryMb: number; vms: number; diskGb: number; networks: number };
type RealmQuota = { limits: Amounts; used: Amounts };
type QuotaRow = { realmId: string; org: { name: string; slug: string }; limits: Amounts | null; used: Amounts | null };
type AuditEvent = { action: string; reason: string; actorId: string | null };

test.describe("quotas", () => {
  test.use({ platformLock: "exclusive" });

  test("the realm page shows usage; an operator caps Acme's VMs and alice's next create is refused in words", async ({ pageAs }) => {
    const [alice, ops] = await Promise.all([pageAs(USERS.alice), pageAs(USERS.ops)]);

    // Alice's realm page: usage against the quota, one figure per resource.
    await createVm(alice.request, uniqueName("e2e-quota")); // at least one guest VM counts
    const quota = ok(await trpcQuery<RealmQuota>(alice.request, "realm.quota"));
    expect(quota.used.vms).toBeGreaterThan(0);
    await alice.goto("/realm");
    await expect(alice.getByTestId("quota-vms-value")).toHaveText(`${quota.used.vms} of ${quota.limits.vms}`);
    await expect(alice.getByTestId("quota-vcpus-value")).toHaveText(`${quota.used.vcpus} of ${quota.limits.vcpus}`);
    await screenshot(alice, "quota-realm-usage");

    // A viewer sees it too (realm.read), and cannot reach the operators' procedures at all.
    const victor = await pageAs(USERS.victor);
    expect(ok(await trpcQuery<RealmQuota>(victor.request, "realm.quota")).limits).toEqual(quota.limits);
    const tenantSet = await trpcMutation(alice.request, "operator.quotas.set", { realmId: crypto.randomUUID(), vms: 1000, reason: "more for me please" });
    expect(tenantSet.error).toMatchObject({ code: "NOT_FOUND" });

    // The operator's panel lists Acme's usage; the operator caps its VM count at what it uses.
    const acme = (await trpcAllPages<QuotaRow>(ops.request, "operator.quotas.list")).find((r) => r.org.slug === "acme")!;
    expect(acme.limits).toEqual(quota.limits);
    await ops.goto("/operator");
    await expect(ops.getByTestId("quota-row-acme-vms")).toHaveText(`${quota.used.vms} / ${quota.limits.vms}`, { timeout: STATE_TIMEOUT });
    const form = ops.getByTestId("quota-form");
    try {
      await ops.getByTestId("quota-realm").selectOption({ label: "Acme Corp" });
      await form.locator('input[name="vms"]').fill(String(quota.used.vms));
      await form.locator('input[name="reason"]').fill("e2e: cap Acme at its current VM count");
      await form.getByRole("button", { name: "Set quota" }).click();
      await expect(ops.getByTestId("quota-saved")).toBeVisible();
      await expect(ops.getByTestId("quota-row-acme-vms")).toHaveText(`${quota.used.vms} / ${quota.used.vms}`);
      await screenshot(ops, "quota-operator-panel");

      // Alice's next create: refused on the form, naming the quota, the usage and the limit.
      await alice.reload();
      await expect(alice.getByTestId("quota-vms-value")).toHaveText(`${quota.used.vms} of ${quota.used.vms}`);
      const create = alice.getByTestId("create-vm-form");
      await create.locator('input[name="name"]').fill(uniqueName("e2e-over"));
      await create.getByRole("button", { name: "Create VM" }).click();
      await expect(create.getByRole("alert")).toHaveText(`Acme Corp uses ${quota.used.vms} of ${quota.used.vms} VMs; this VM needs 1`);
      await screenshot(alice, "quota-refused");

      // The change is in Acme's own trail, with the operator (an id) and the reason.
      const trail = ok(await trpcQuery<{ items: AuditEvent[] }>(alice.request, "realm.audit", { limit: 50 })).items;
      const change = trail.find((e) => e.action === "quota.set" && e.reason === "e2e: cap Acme at its current VM count");
      expect(change?.actorId, "the operator who changed it").toBeTruthy();
    } finally {
      ok(await trpcMutation(ops.request, "operator.quotas.set", { realmId: acme.realmId, vms: quota.limits.vms, reason: "e2e: restore Acme's VM quota" }));
    }
    await alice.reload();
    await expect(alice.getByTestId("quota-vms-value")).toHaveText(`${quota.used.vms} of ${quota.limits.vms}`);
  });
});
