import { randomUUID } from "node:crypto";
import { apiSignIn, createRunningVm, expect, expectVmState, ok, screenshot, STATE_TIMEOUT, test, trpcMutation, trpcQuery, uniqueName, USERS } from "./fixtures";

/**
 * Backend domains (issue 15 part 3): an admin creates a driver domain on a VM's host, attaches a
 * disk through it, and the VM page says which backend serves each device and whether it is
 * trusted. Another realm cannot see or use the driver domain (its id answers like a missing one).
 */

type Backend = { id: string | null; kind: string; name: string; isTrusted: boolean; state: string; host: { name: string } | null };

test.describe("backend domains", () => {
  test("alice: creates a driver domain, attaches a disk through it, sees 'untrusted backend, encrypted'; bob cannot use it", async ({ page, browser }) => {
    page.on("dialog", (dialog) => void dialog.accept());
    await apiSignIn(page.request, USERS.alice);
    const vmId = await createRunningVm(page.request, uniqueName("e2e-bk"));
    const secretDisk = uniqueName("e2e-bk-secret");
    const plainDisk = uniqueName("e2e-bk-plain");
    const secretId = ok(await trpcMutation<{ diskId: string }>(page.request, "disk.create", { name: secretDisk, sizeGb: 2 })).diskId;
    const plainId = ok(await trpcMutation<{ diskId: string }>(page.request, "disk.create", { name: plainDisk, sizeGb: 2 })).diskId;
    const driverName = uniqueName("e2e-dd");
    let driverId: string | null = null;
    try {
      await page.goto(`/realm/vms/${vmId}`);
      const devices = page.getByTestId("vm-devices");
      await expect(devices).toContainText("No disks or networks attached.");

      // The driver domain, built by the worker on the VM's host.
      await devices.getByLabel("New driver domain name").fill(driverName);
      await devices.getByRole("button", { name: /^Create driver domain on / }).click();
      const driverRow = page.getByTestId("vm-driver-domains").getByText(new RegExp(`driver domain ${driverName} on .* · untrusted · running`));
      await expect(driverRow).toBeVisible({ timeout: STATE_TIMEOUT });
      const backends = ok(await trpcQuery<{ items: Backend[] }>(page.request, "backend.list")).items;
      expect(backends.slice(0, 2).map((b) => [b.kind, b.isTrusted])).toEqual([
        ["platform-storage", true],
        ["platform-network", true],
      ]);
      driverId = backends.find((b) => b.name === driverName)!.id;

      // One disk through the driver domain, one through the platform's backend (the default).
      await devices.getByRole("combobox").selectOption({ label: `driver domain ${driverName} (untrusted, encrypted)` });
      await devices.getByRole("button", { name: `Attach disk ${secretDisk}`, exact: true }).click();
      await expect(page.getByTestId(`vm-disk-${secretDisk}`)).toContainText(`via driver domain ${driverName} · untrusted backend, encrypted`);
      await expect(page.getByTestId("vm-state")).toHaveText("running", { timeout: STATE_TIMEOUT });
      await devices.getByRole("combobox").selectOption({ label: "platform backend (trusted)" });
      await devices.getByRole("button", { name: `Attach disk ${plainDisk}`, exact: true }).click();
      await expect(page.getByTestId(`vm-disk-${plainDisk}`)).toContainText("via platform storage backend · trusted");
      await expect(page.getByTestId("vm-state")).toHaveText("running", { timeout: STATE_TIMEOUT });
      const history = ok(await trpcQuery<{ items: { action: string; status: string }[] }>(page.request, "vm.history", { vmId })).items;
      expect(history.slice(0, 2).map((h) => [h.action, h.status])).toEqual([
        ["attach-disk", "succeeded"],
        ["attach-disk", "succeeded"],
      ]);
      await screenshot(page, "backends-driver-domain");

      // Bob (Globex) does not see it, and naming it answers like a random id.
      const bob = await browser.newContext();
      try {
        await apiSignIn(bob.request, USERS.bob);
        const bobs = ok(await trpcQuery<{ items: Backend[] }>(bob.request, "backend.list")).items;
        expect(bobs.some((b) => b.id === driverId)).toBe(false);
        const foreign = await trpcMutation(bob.request, "backend.remove", { backendId: driverId });
        const missing = await trpcMutation(bob.request, "backend.remove", { backendId: randomUUID() });
        expect(foreign.error).toMatchObject({ code: "NOT_FOUND", message: "backend not found" });
        expect(foreign.error).toEqual(missing.error);
      } finally {
        await bob.close();
      }
    } finally {
      for (const diskId of [secretId, plainId]) {
        if (!(await trpcMutation(page.request, "vm.detachDisk", { vmId, diskId })).error) await expectVmState(page.request, vmId, "running").catch(() => {});
        await trpcMutation(page.request, "disk.delete", { diskId });
      }
      if (driverId) await trpcMutation(page.request, "backend.remove", { backendId: driverId });
      await trpcMutation(page.request, "vm.destroy", { vmId });
    }
  });
});
