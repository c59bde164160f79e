import { randomUUID } from "node:crypto";
import type { APIRequestContext } from "@playwright/test";
import { apiSignIn, createRunningVm, expect, expectOperationSucceeded, ok, screenshot, STATE_TIMEOUT, test, trpcMutation, trpcQuery, uniqueName, USERS } from "./fixtures";

/**
 * Cross-realm sharing agreements (issue 15 part 5): Alice (Acme's owner) proposes from the realm
 * dashboard that her VM may send to Globex's VM by name; Bob (Globex's owner) accepts on his; the
 * worker opens the Argo bridge on the host and Alice's test send is delivered; she revokes, the
 * channel closes, and the next test send is refused by the hypervisor (FLASK's AVC line).
 */

type Vm = { id: string; host: { id: string } | null };

test.describe("sharing agreements", () => {
  test("alice proposes, bob accepts, a test send is delivered; after alice revokes it is refused by FLASK", async ({ page, browser }) => {
    test.setTimeout(240_000);
    await apiSignIn(page.request, USERS.alice);
    const bobContext = await browser.newContext();
    const bob = await bobContext.newPage();
    await apiSignIn(bob.request, USERS.bob);
    const [sendName, recvName] = [uniqueName("e2e-ag-send"), uniqueName("e2e-ag-recv")];
    const sender = await createRunningVm(page.request, sendName);
    const receiver = await createRunningVm(bob.request, recvName);
    try {
      // Argo needs both VMs on one host: Alice's moves to Bob's VM's host.
      const hostOf = async (request: APIRequestContext, vmId: string) => ok(await trpcQuery<Vm>(request, "vm.get", { vmId })).host!.id;
      const bobHost = await hostOf(bob.request, receiver);
      if ((await hostOf(page.request, sender)) !== bobHost) {
        await expectOperationSucceeded(page.request, ok(await trpcMutation<{ operationId: string }>(page.request, "vm.migrate", { vmId: sender, destinationHostId: bobHost })).operationId);
      }

      // Alice proposes from the dashboard.
      await page.goto("/realm");
      const card = page.getByTestId("agreements");
      const form = card.getByTestId("agreement-form");
      await form.getByLabel("Our VM (sends)").selectOption({ label: sendName });
      await form.getByLabel("Their organization (handle)").fill("globex");
      await form.getByLabel("Their VM (name)").fill(recvName);
      await form.getByRole("button", { name: "Propose agreement" }).click();
      const aliceRow = card.getByTestId("agreement-row").filter({ hasText: sendName });
      await expect(aliceRow.getByTestId("agreement-state")).toHaveText("proposed", { timeout: STATE_TIMEOUT });
      const agreementId = (await aliceRow.getAttribute("data-agreement-id"))!;

      // Bob accepts on his; Alice cannot accept her own (the API answers so).
      const own = await trpcMutation(page.request, "agreement.accept", { agreementId });
      expect(own.error).toMatchObject({ code: "CONFLICT" });
      await bob.goto("/realm");
      const bobRow = bob.getByTestId("agreements").getByTestId("agreement-row").filter({ hasText: recvName });
      await expect(bobRow).toContainText("incoming");
      await bobRow.getByRole("button", { name: "Accept" }).click();
      await expect(bobRow.getByTestId("agreement-state")).toHaveText("active", { timeout: STATE_TIMEOUT });

      // The worker opens the channel on the host; Alice's test send is delivered.
      await expect(aliceRow.getByTestId("agreement-channel")).toContainText("channel open on the host", { timeout: STATE_TIMEOUT });
      await aliceRow.getByRole("button", { name: "Send test message" }).click();
      const result = card.getByTestId("agreement-test-result");
      await expect(result).toContainText("Delivered", { timeout: STATE_TIMEOUT });
      await expect(aliceRow.getByTestId("agreement-counters")).toContainText("delivered 1", { timeout: STATE_TIMEOUT });
      await screenshot(page, "agreements-delivered");

      // A third party's id answers like a missing one for Bob too (he sees only what reached him).
      const foreign = await trpcMutation(bob.request, "agreement.revoke", { agreementId: randomUUID() });
      expect(foreign.error).toMatchObject({ code: "NOT_FOUND" });

      // Alice revokes; the channel closes; the next test send is FLASK's denial.
      await aliceRow.getByRole("button", { name: "Revoke" }).click();
      await expect(aliceRow.getByTestId("agreement-state")).toContainText("revoked", { timeout: STATE_TIMEOUT });
      await expect(aliceRow.getByTestId("agreement-channel")).toContainText("channel closed", { timeout: STATE_TIMEOUT });
      await aliceRow.getByRole("button", { name: "Send test message" }).click();
      await expect(result).toContainText("Refused", { timeout: STATE_TIMEOUT });
      await expect(result).toContainText("denied  { send }");
      await expect(bobRow.getByTestId("agreement-state")).toContainText("revoked", { timeout: STATE_TIMEOUT });
      await screenshot(page, "agreements-revoked-refused");
    } finally {
      await trpcMutation(page.request, "vm.destroy", { vmId: sender });
      await trpcMutation(bob.request, "vm.destroy", { vmId: receiver });
      await bobContext.close();
    }
  });
});
