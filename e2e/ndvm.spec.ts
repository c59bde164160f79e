import { randomUUID } from "node:crypto";
import { apiSignIn, createRunningVm, expect, expectOperationSucceeded, ok, screenshot, STATE_TIMEOUT, test, trpcMutation, trpcQuery, uniqueName, USERS } from "./fixtures";

/**
 * A network driver domain per realm (issue 15 part 4): Alice (Acme's owner) gives a network an
 * NDVM from the realm dashboard, adds a rule, and tests flows: one the rule allows, one the
 * realm's default deny refuses, one a platform rule refuses although her rules allow it — each
 * verdict names the layer that decided. Bob (Globex) cannot see or name her rules.
 */

type Vm = { id: string; host: { id: string } | null };

test.describe("NDVM networks", () => {
  // The platform rule applies to every realm's NDVMs while it stands.
  test.use({ platformLock: "exclusive" });

  test("alice: assigns an NDVM to a network, adds a rule, tests an allowed and two refused flows and sees which layer refused", async ({ page, browser }) => {
    test.setTimeout(180_000);
    page.on("dialog", (dialog) => void dialog.accept());
    await apiSignIn(page.request, USERS.alice);
    const ops = await browser.newContext();
    await apiSignIn(ops.request, USERS.ops);
    const [webName, dbName, ndvmName, netName] = [uniqueName("e2e-nd-web"), uniqueName("e2e-nd-db"), uniqueName("e2e-ndvm"), uniqueName("e2e-nd-net")];
    const web = await createRunningVm(page.request, webName);
    const db = await createRunningVm(page.request, dbName);
    const made: { backendId?: string; networkId?: string; smtp?: string; rules: string[]; attached: string[] } = { rules: [], attached: [] };
    try {
      // Both guests on the NDVM's host (a driver domain serves only frontends on its own host).
      const hostOf = async (vmId: string) => ok(await trpcQuery<Vm>(page.request, "vm.get", { vmId })).host!.id;
      const webHost = await hostOf(web);
      if ((await hostOf(db)) !== webHost) {
        await expectOperationSucceeded(page.request, ok(await trpcMutation<{ operationId: string }>(page.request, "vm.migrate", { vmId: db, destinationHostId: webHost })).operationId);
      }
      const { backendId } = ok(await trpcMutation<{ backendId: string }>(page.request, "backend.create", { name: ndvmName, vmId: web }));
      made.backendId = backendId;
      await expect
        .poll(async () => ok(await trpcQuery<{ items: { id: string; state: string }[] }>(page.request, "backend.list")).items.find((b) => b.id === backendId)?.state, { timeout: STATE_TIMEOUT })
        .toBe("running");
      const { networkId } = ok(await trpcMutation<{ networkId: string }>(page.request, "network.create", { name: netName }));
      made.networkId = networkId;
      const smtp = ok(await trpcMutation<{ ruleId: string }>(ops.request, "operator.networkRules.add", { name: uniqueName("e2e no outbound mail"), protocol: "tcp", ports: { from: 25, to: 25 } })).ruleId;
      made.smtp = smtp;

      // The admin assigns the NDVM from the dashboard.
      await page.goto("/realm");
      const card = page.getByTestId("network-rules");
      await card.getByRole("combobox", { name: "Network", exact: true }).selectOption({ label: netName });
      await card.getByRole("combobox", { name: "NDVM (driver domain)" }).selectOption({ label: `${ndvmName} (running)` });
      await card.getByRole("button", { name: "Assign NDVM" }).click();
      await expect(card.getByTestId(`ndvm-row-${netName}`)).toContainText(`NDVM ${ndvmName}`);

      // Guests join the network: their vifs are served by the NDVM.
      for (const vmId of [web, db]) {
        await expectOperationSucceeded(page.request, ok(await trpcMutation<{ operationId: string }>(page.request, "vm.attachNetwork", { vmId, networkId })).operationId);
        made.attached.push(vmId);
      }

      // A rule: web may reach db on tcp/5432; and the network may reach the uplink.
      const ruleForm = card.getByTestId("rule-form");
      await ruleForm.getByRole("combobox", { name: "From", exact: true }).selectOption({ label: `VM ${webName}` });
      await ruleForm.getByRole("combobox", { name: "To", exact: true }).selectOption({ label: `VM ${dbName}` });
      await ruleForm.getByRole("combobox", { name: "Protocol", exact: true }).selectOption("tcp");
      await ruleForm.getByLabel("Port (from)").fill("5432");
      await ruleForm.getByRole("button", { name: "Add rule" }).click();
      await expect(card.getByTestId("network-rules-status")).toHaveText("Rule added.");
      await ruleForm.getByRole("combobox", { name: "From", exact: true }).selectOption({ label: `network ${netName}` });
      await ruleForm.getByRole("combobox", { name: "To", exact: true }).selectOption({ label: "the uplink" });
      await ruleForm.getByRole("combobox", { name: "Protocol", exact: true }).selectOption("any");
      await ruleForm.getByLabel("Port (from)").fill("");
      await ruleForm.getByRole("button", { name: "Add rule" }).click();
      await expect(card.getByTestId("rule-row")).toHaveCount(2);
      const rules = ok(await trpcQuery<{ items: { id: string }[] }>(page.request, "network.rules")).items;
      made.rules = rules.map((r) => r.id);

      // Test flows (connection attempts, counted): the host answers once the worker loaded the rules.
      const flow = card.getByTestId("flow-form");
      const verdict = card.getByTestId("flow-verdict");
      const attempt = async (from: string, to: string, port: string, address = "") => {
        await flow.getByRole("combobox", { name: "Through network", exact: true }).selectOption({ label: netName });
        await flow.getByRole("combobox", { name: "From VM", exact: true }).selectOption({ label: from });
        await flow.getByRole("combobox", { name: "To", exact: true }).selectOption({ label: to });
        await flow.getByLabel("Address (uplink)").fill(address);
        await flow.getByRole("combobox", { name: "Protocol", exact: true }).selectOption("tcp");
        await flow.getByLabel("Port", { exact: true }).fill(port);
        await flow.getByRole("button", { name: "Attempt a connection" }).click();
        await expect(verdict).not.toContainText("Asking", { timeout: STATE_TIMEOUT });
      };
      await attempt(webName, `VM ${dbName}`, "5432");
      await expect(verdict).toContainText("Allowed by the realm's rules");
      await attempt(dbName, `VM ${webName}`, "22");
      await expect(verdict).toContainText("Refused by the realm's rules");
      await expect(verdict).toContainText("default deny");
      await attempt(webName, "the uplink", "25", "203.0.113.5");
      await expect(verdict).toContainText("Refused by the platform's rules");
      await expect(verdict).toContainText("no outbound mail");
      await expect(card.getByTestId("rule-counters").first()).toContainText("allowed 1", { timeout: STATE_TIMEOUT });
      await screenshot(page, "ndvm-flows");

      // Bob (Globex) sees none of it, and naming Alice's rule answers like a random id.
      const bob = await browser.newContext();
      try {
        await apiSignIn(bob.request, USERS.bob);
        expect(ok(await trpcQuery<{ items: unknown[] }>(bob.request, "network.rules")).items.some((r) => rules.some((x) => x.id === (r as { id: string }).id))).toBe(false);
        const foreign = await trpcMutation(bob.request, "network.removeRule", { ruleId: rules[0]!.id });
        const missing = await trpcMutation(bob.request, "network.removeRule", { ruleId: randomUUID() });
        expect(foreign.error).toMatchObject({ code: "NOT_FOUND" });
        expect(foreign.error).toEqual(missing.error);
      } finally {
        await bob.close();
      }
    } finally {
      // Rules, interfaces (detached through the NDVM), the network, the NDVM, the platform rule.
      for (const ruleId of made.rules) await trpcMutation(page.request, "network.removeRule", { ruleId });
      for (const vmId of made.attached) {
        const detach = await trpcMutation<{ operationId: string }>(page.request, "vm.detachNetwork", { vmId, networkId: made.networkId });
        if (detach.data) await expectOperationSucceeded(page.request, detach.data.operationId).catch(() => {});
      }
      if (made.networkId) await trpcMutation(page.request, "network.delete", { networkId: made.networkId });
      if (made.backendId) await trpcMutation(page.request, "backend.remove", { backendId: made.backendId, confirm: true });
      if (made.smtp) await trpcMutation(ops.request, "operator.networkRules.remove", { ruleId: made.smtp });
      await ops.close();
      for (const vmId of [web, db]) await trpcMutation(page.request, "vm.destroy", { vmId });
    }
  });
});
