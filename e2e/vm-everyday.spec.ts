import type { Page } from "@playwright/test";
import { apiSignIn, createVm, expect, expectVmState, listAll, ok, screenshot, STATE_TIMEOUT, test, trpcMutation, trpcQuery, uniqueName, USERS, type Template } from "./fixtures";

/**
 * Everyday VM work (issue 14) in a browser, as Acme's owner: rename, resize a stopped VM, attach
 * a disk from its own row, clone, snapshot → revert → delete, detach with confirmation; the
 * domain id only while a domain runs; the management template never offered.
 */

type Snapshot = { id: string; name: string; status: string };

async function expectSize(page: Page, text: string) {
  await expect(page.getByText(text, { exact: true })).toBeVisible({ timeout: STATE_TIMEOUT });
}

test.describe("everyday VM work", () => {
  test("alice: rename, resize, disk from its row, clone, snapshot → revert → delete, detach", async ({ page }) => {
    test.setTimeout(180_000);
    const dialogs: string[] = [];
    // Destructive steps ask first: answered yes, and recorded.
    page.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      void dialog.accept();
    });
    await apiSignIn(page.request, USERS.alice);
    const name = uniqueName("e2e-ev");
    const vmId = await createVm(page.request, name);
    const renamed = uniqueName("e2e-ev-renamed");
    const cloneName = uniqueName("e2e-ev-clone");
    const disk = uniqueName("e2e-ev-disk");
    let cloneId: string | null = null;
    try {
      await page.goto(`/realm/vms/${vmId}`);
      const state = page.getByTestId("vm-state");
      await expect(state).toHaveText("stopped");
      // The tab names the VM, and follows a rename (below).
      await expect(page).toHaveTitle(`${name} · Virtual machine · Realmgate`);
      // A stopped VM has no domain to speak of.
      await expect(page.getByText("Domain id")).toHaveCount(0);

      // Rename: the title follows, the form empties.
      const everyday = page.getByTestId("vm-everyday");
      await everyday.getByLabel("New name").fill(renamed);
      await everyday.getByRole("button", { name: "Rename" }).click();
      await expect(page.getByTestId("vm-title")).toContainText(renamed);
      await expect(page).toHaveTitle(`${renamed} · Virtual machine · Realmgate`);
      await expect(everyday.getByLabel("New name")).toHaveValue("");
      await expect(page.getByTestId("vm-everyday-status")).toHaveText(`Renamed to ${renamed}.`);

      // Resize while stopped: 2 vCPUs, 1024 MiB, through the host.
      await everyday.getByLabel("vCPUs").fill("2");
      await everyday.getByLabel("Memory (MiB)").fill("1024");
      await everyday.getByRole("button", { name: "Resize" }).click();
      await expectSize(page, "2 vCPU · 1024 MiB");
      await expect(state).toHaveText("stopped", { timeout: STATE_TIMEOUT });
      await expect(everyday.getByLabel("vCPUs")).toHaveValue("2");
      await screenshot(page, "vm-everyday-renamed-resized");

      // A disk, created with its labelled form (GiB) and attached from its own row.
      await page.goto("/realm");
      const diskForm = page.getByTestId("disk-form");
      await diskForm.getByLabel("Disk name").fill(disk);
      await diskForm.getByLabel("Size (GiB)").fill("3");
      await diskForm.getByRole("button", { name: "Create disk" }).click();
      const diskRow = page.getByTestId(`disk-row-${disk}`);
      await expect(diskRow).toContainText(`${disk} · 3 GiB (free)`);
      await expect(diskForm.getByLabel("Disk name")).toHaveValue("");
      await diskRow.getByLabel(`Attach ${disk} to`).selectOption({ label: renamed });
      await diskRow.getByRole("button", { name: "Attach" }).click();
      await expect(diskRow).toContainText(`→ ${renamed}`, { timeout: STATE_TIMEOUT });
      await expectVmState(page.request, vmId, "stopped");
      await screenshot(page, "vm-everyday-disk-attached-from-row");

      // Clone: a new VM with a copy of the disk; the message links to it.
      await page.goto(`/realm/vms/${vmId}`);
      await expect(page.getByTestId(`vm-disk-${disk}`)).toBeVisible();
      await everyday.getByLabel("Name of the copy").fill(cloneName);
      await everyday.getByRole("button", { name: "Clone" }).click();
      await expect(everyday.getByLabel("Name of the copy")).toHaveValue("");
      await page.getByRole("link", { name: "open the new VM" }).click();
      await expect(page.getByTestId("vm-title")).toContainText(cloneName);
      cloneId = page.url().split("/realm/vms/")[1]!.split("?")[0]!;
      await expect(page.getByTestId("vm-state")).toHaveText("stopped", { timeout: STATE_TIMEOUT });
      await expect(page.getByTestId(`vm-disk-${cloneName}-${disk}`)).toBeVisible({ timeout: STATE_TIMEOUT });
      await expectSize(page, "2 vCPU · 1024 MiB");
      await screenshot(page, "vm-everyday-clone");

      // Snapshot while stopped, start, revert: back to stopped; then delete it.
      await page.goto(`/realm/vms/${vmId}`);
      const snapshots = page.getByTestId("vm-snapshots");
      await snapshots.getByLabel("Snapshot name (optional)").fill("first");
      await snapshots.getByRole("button", { name: "Take snapshot" }).click();
      const row = page.getByTestId("snapshot-row-first");
      await expect(row).toBeVisible();
      await expect(row).not.toContainText("being taken", { timeout: STATE_TIMEOUT });
      await expect(snapshots.getByLabel("Snapshot name (optional)")).toHaveValue("");
      await expect(state).toHaveText("stopped", { timeout: STATE_TIMEOUT });
      ok(await trpcMutation(page.request, "vm.start", { vmId }));
      await expect(state).toHaveText("running", { timeout: STATE_TIMEOUT });
      // Running: a domain exists, and its id shows.
      await expect(page.getByText("Domain id")).toBeVisible();
      await screenshot(page, "vm-everyday-snapshot-running");
      await row.getByRole("button", { name: "Revert to first" }).click();
      await expect(state).toHaveText("stopped", { timeout: STATE_TIMEOUT });
      await expect(page.getByText("Domain id")).toHaveCount(0);
      expect(dialogs.at(-1)).toMatch(/^Revert .* to snapshot first\?/);
      await screenshot(page, "vm-everyday-reverted");
      await row.getByRole("button", { name: "Delete snapshot first" }).click();
      await expect(row).toHaveCount(0, { timeout: STATE_TIMEOUT });
      expect(dialogs.at(-1)).toMatch(/^Delete snapshot first/);
      const left = await trpcQuery<{ items: Snapshot[] }>(page.request, "vm.snapshots", { vmId });
      expect(left.data?.items).toEqual([]);

      // Detach from the VM's page, asked first.
      await expect(state).toHaveText("stopped", { timeout: STATE_TIMEOUT });
      await page.getByTestId(`vm-disk-${disk}`).getByRole("button", { name: "Detach" }).click();
      await expect(page.getByTestId(`vm-disk-${disk}`)).toHaveCount(0, { timeout: STATE_TIMEOUT });
      expect(dialogs.at(-1)).toMatch(new RegExp(`^Detach disk ${disk}\\?`));
      await screenshot(page, "vm-everyday-detached");

      // The management template is not offered to members.
      const templates = await listAll<Template>(page.request, "template.list");
      expect(templates.map((t) => t.name)).not.toContain("realm-mgmt");
    } finally {
      // One operation in flight per VM: each request is retried until it is accepted.
      const accepted = (path: string, input: Record<string, unknown>) =>
        expect.poll(async () => (await trpcMutation(page.request, path, input)).error?.code ?? "OK", { timeout: STATE_TIMEOUT }).toBe("OK");
      for (const snap of (await trpcQuery<{ items: Snapshot[] }>(page.request, "vm.snapshots", { vmId, limit: 200 })).data?.items ?? []) {
        if (snap.status === "ready") await accepted("vm.deleteSnapshot", { vmId, snapshotId: snap.id });
      }
      await expect.poll(async () => (await trpcQuery<{ items: Snapshot[] }>(page.request, "vm.snapshots", { vmId })).data?.items.length ?? 0, { timeout: STATE_TIMEOUT }).toBe(0);
      for (const id of [vmId, cloneId]) {
        if (!id) continue;
        await accepted("vm.destroy", { vmId: id });
        await expectVmState(page.request, id, "destroyed");
      }
      for (const d of await listAll<{ id: string; name: string; vm: unknown }>(page.request, "disk.list")) {
        if (d.name.includes(disk)) await trpcMutation(page.request, "disk.delete", { diskId: d.id });
      }
    }
  });
});
