import { randomUUID } from "node:crypto";
import type { APIRequestContext, Locator, Page } from "@playwright/test";
import {
  apiSignIn,
  createRunningVm,
  createVm,
  expect,
  expectVmState,
  listAll,
  ok,
  screenshot,
  STATE_TIMEOUT,
  test,
  trpcMutation,
  trpcQuery,
  uniqueName,
  USERS,
} from "./fixtures";

/**
 * A realm's disks and networks (components/realm/storage-networks.tsx) and attaching them to a
 * VM (components/vm/vm-devices.tsx): managed by owners/admins only, invisible across realms.
 */

type DiskRow = { id: string; name: string; sizeGb: number; vm: { id: string; name: string } | null };
type NetworkRow = { id: string; name: string; vms: { vm: { id: string; name: string } }[] };

async function createDisk(request: APIRequestContext, name: string, sizeGb = 5): Promise<string> {
  return ok(await trpcMutation<{ diskId: string }>(request, "disk.create", { name, sizeGb })).diskId;
}

async function createNetwork(request: APIRequestContext, name: string): Promise<string> {
  return ok(await trpcMutation<{ networkId: string }>(request, "network.create", { name })).networkId;
}

/** A running VM of alice's, created through the API. */
async function runningVm(request: APIRequestContext, prefix: string): Promise<{ name: string; vmId: string }> {
  const name = uniqueName(prefix);
  return { name, vmId: await createRunningVm(request, name) };
}

/** Fills and submits the dashboard's disk form. */
async function submitDisk(page: Page, name: string, sizeGb: string): Promise<void> {
  const form = page.getByTestId("disk-form");
  await form.locator('[name="name"]').fill(name);
  await form.locator('[name="sizeGb"]').fill(sizeGb);
  await form.getByRole("button", { name: "Create disk" }).click();
}

async function submitNetwork(page: Page, name: string): Promise<void> {
  const form = page.getByTestId("network-form");
  await form.locator('[name="name"]').fill(name);
  await form.getByRole("button", { name: "Create network" }).click();
}

/** The VM's last operation of `action` in its history has succeeded. */
async function expectOperationSucceeded(page: Page, action: string, count = 1): Promise<void> {
  const rows = page
    .getByTestId("vm-history")
    .locator("tbody tr")
    .filter({ has: page.locator("td:nth-child(3)", { hasText: new RegExp(`^${action}$`) }) });
  await expect(rows).toHaveCount(count, { timeout: STATE_TIMEOUT });
  await expect(rows.first().locator("td:nth-child(4)")).toHaveText("succeeded", { timeout: STATE_TIMEOUT });
}

/**
 * Records every text the VM's state badge shows from now on (device operations take tens of
 * milliseconds, so a transient "attaching" is not reliably visible to a poll).
 */
async function recordStates(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const w = window as unknown as { __vmStates: string[] };
    w.__vmStates = [];
    const note = () => {
      const text = document.querySelector('[data-testid="vm-state"]')?.textContent ?? "";
      if (w.__vmStates.at(-1) !== text) w.__vmStates.push(text);
    };
    note();
    new MutationObserver(note).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  return () => page.evaluate(() => (window as unknown as { __vmStates: string[] }).__vmStates);
}

/** Best effort, for `finally`: detach, delete, destroy, ignoring what fails. */
async function cleanUp(
  request: APIRequestContext,
  vmId: string,
  diskIds: string[],
  networkIds: string[],
): Promise<void> {
  for (const diskId of diskIds) {
    if (!(await trpcMutation(request, "vm.detachDisk", { vmId, diskId })).error)
      await expectVmState(request, vmId, "running").catch(() => {});
    await trpcMutation(request, "disk.delete", { diskId });
  }
  for (const networkId of networkIds) {
    if (!(await trpcMutation(request, "vm.detachNetwork", { vmId, networkId })).error)
      await expectVmState(request, vmId, "running").catch(() => {});
    await trpcMutation(request, "network.delete", { networkId });
  }
  await trpcMutation(request, "vm.destroy", { vmId });
}

function storageAlert(page: Page): Locator {
  return page.getByTestId("storage-networks").getByRole("alert");
}

test.describe("disks and networks", () => {
  test("alice: create a disk and a network, attach both to a running VM, detach, delete", async ({ page }) => {
    // Detach and delete ask first (issue 14): yes.
    page.on("dialog", (dialog) => void dialog.accept());
    await apiSignIn(page.request, USERS.alice);
    const vm = await runningVm(page.request, "e2e-dev");
    const disk = uniqueName("e2e-disk");
    const network = uniqueName("e2e-net");

    await page.goto("/realm");
    await expect(page.getByTestId("realm-title")).toHaveText("Acme Corp");
    await expect(page.getByTestId("disk-form")).toBeVisible();
    await expect(page.getByTestId("network-form")).toBeVisible();

    // Bad input is refused with an error, and creates nothing.
    await submitDisk(page, "Bad Disk", "10");
    await expect(storageAlert(page)).toBeVisible();
    await submitDisk(page, disk, "0");
    await expect(storageAlert(page)).toBeVisible();
    await submitDisk(page, disk, "lots");
    await expect(storageAlert(page)).toBeVisible();
    await screenshot(page, "devices-bad-disk");
    const disksNow = await listAll<DiskRow>(page.request, "disk.list");
    expect(disksNow.map((d) => d.name)).not.toContain(disk);
    expect(disksNow.map((d) => d.name)).not.toContain("Bad Disk");

    // A disk and a network.
    await submitDisk(page, disk, "7");
    const diskRow = page.getByTestId(`disk-row-${disk}`);
    // A free disk's row offers to attach it to a VM (issue 14) and to delete it.
    await expect(diskRow).toContainText(`${disk} · 7 GiB (free)`);
    await expect(diskRow.getByRole("button", { name: `Delete disk ${disk}` })).toBeVisible();
    await expect(storageAlert(page)).toHaveCount(0);
    await submitNetwork(page, network);
    const networkRow = page.getByTestId(`network-row-${network}`);
    await expect(networkRow).toHaveText(new RegExp(`^${network}\\s*Delete$`));

    // Names are unique per realm: the clear message comes from the server.
    await submitDisk(page, disk, "3");
    await expect(storageAlert(page)).toHaveText("Name: a disk with this name already exists in your realm");
    await submitNetwork(page, network);
    await expect(storageAlert(page)).toHaveText("Name: a network with this name already exists in your realm");
    await expect(page.getByTestId(`disk-row-${disk}`)).toHaveCount(1);
    await expect(page.getByTestId(`network-row-${network}`)).toHaveCount(1);
    await screenshot(page, "devices-created");

    // On the VM's page: attach the disk, then join the network; the VM returns to running.
    await page.getByTestId(`vm-row-${vm.name}`).getByRole("link", { name: vm.name }).click();
    await expect(page.getByTestId("vm-title")).toContainText(vm.name);
    const devices = page.getByTestId("vm-devices");
    const state = page.getByTestId("vm-state");
    await expect(devices).toContainText("No disks or networks attached.");
    const states = await recordStates(page);

    await devices.getByRole("button", { name: `Attach disk ${disk}`, exact: true }).click();
    const attachedDisk = page.getByTestId(`vm-disk-${disk}`);
    await expect(attachedDisk).toContainText(`disk ${disk} · 7 GiB`);
    await expectOperationSucceeded(page, "attach-disk");
    await expect(state).toHaveText("running", { timeout: STATE_TIMEOUT });
    await expect(devices.getByRole("button", { name: `Attach disk ${disk}`, exact: true })).toHaveCount(0);

    await devices.getByRole("button", { name: `Join network ${network}`, exact: true }).click();
    const attachedNetwork = page.getByTestId(`vm-network-${network}`);
    await expect(attachedNetwork).toContainText(`network ${network}`);
    await expectOperationSucceeded(page, "attach-net");
    await expect(state).toHaveText("running", { timeout: STATE_TIMEOUT });
    await expect(devices.getByRole("button", { name: `Join network ${network}`, exact: true })).toHaveCount(0);
    await expect(devices).not.toContainText("No disks or networks attached.");
    // The badge only ever showed the device states and running (never failed), and ends running.
    const seen = await states();
    test.info().annotations.push({ type: "vm states while attaching", description: seen.join(" → ") });
    expect(
      seen.every((s) => ["running", "attaching"].includes(s)),
      seen.join(" → "),
    ).toBe(true);
    expect(seen.at(-1)).toBe("running");
    await screenshot(page, "devices-attached");

    // The history and the realm's trail tell the same story (attaching is the pending state).
    const history = ok(
      await trpcQuery<{ items: { action: string; status: string; requestedBy: string }[] }>(page.request, "vm.history", {
        vmId: vm.vmId,
      }),
    ).items;
    expect(history.slice(0, 2)).toEqual([
      expect.objectContaining({ action: "attach-net", status: "succeeded", requestedBy: "Alice Admin" }),
      expect.objectContaining({ action: "attach-disk", status: "succeeded", requestedBy: "Alice Admin" }),
    ]);

    // The dashboard shows where they are attached; attached ones cannot be deleted. Loaded afresh:
    // its disk and network lists do not follow device operations live (known bug, see the
    // `test.fail` below), and a client-side navigation within 5 s reuses the cached lists.
    await page.goto("/realm");
    await expect(diskRow).toHaveText(new RegExp(`^${disk} · 7 GiB → ${vm.name}\\s*Detach$`));
    await expect(diskRow.getByRole("button", { name: "Delete" })).toHaveCount(0);
    await expect(networkRow).toHaveText(new RegExp(`^${network} ${vm.name}$`));
    await expect(networkRow.getByRole("button", { name: "Delete" })).toHaveCount(0);
    await screenshot(page, "devices-dashboard-attached");
    const diskId = (await listAll<DiskRow>(page.request, "disk.list")).find((d) => d.name === disk)!.id;
    const refused = await trpcMutation(page.request, "disk.delete", { diskId });
    expect(refused.error?.code).toBe("PRECONDITION_FAILED");
    expect(refused.error?.message).toBe("the disk is attached to a VM: detach it first");

    // Detach both on the VM's page.
    await page.getByTestId(`vm-row-${vm.name}`).getByRole("link", { name: vm.name }).click();
    await attachedDisk.getByRole("button", { name: "Detach" }).click();
    await expect(attachedDisk).toHaveCount(0);
    await expectOperationSucceeded(page, "detach-disk");
    await expect(state).toHaveText("running", { timeout: STATE_TIMEOUT });
    await attachedNetwork.getByRole("button", { name: "Detach" }).click();
    await expect(attachedNetwork).toHaveCount(0);
    await expectOperationSucceeded(page, "detach-net");
    await expect(state).toHaveText("running", { timeout: STATE_TIMEOUT });
    await expect(devices).toContainText("No disks or networks attached.");
    // Offered again (after a reload: the free-disk list is refetched when the detach is accepted,
    // before the worker frees the disk, and not again when it is done; same known bug).
    await page.reload();
    await expect(devices.getByRole("button", { name: `Attach disk ${disk}`, exact: true })).toBeVisible();
    await expect(devices.getByRole("button", { name: `Join network ${network}`, exact: true })).toBeVisible();
    await screenshot(page, "devices-detached");

    // Free again: delete both from the dashboard.
    await page.goto("/realm");
    await expect(diskRow).toContainText("(free)");
    await diskRow.getByRole("button", { name: "Delete" }).click();
    await expect(diskRow).toHaveCount(0);
    await networkRow.getByRole("button", { name: "Delete" }).click();
    await expect(networkRow).toHaveCount(0);
    await expect(storageAlert(page)).toHaveCount(0);
    const disksAfter = await listAll<DiskRow>(page.request, "disk.list");
    expect(disksAfter.map((d) => d.name)).not.toContain(disk);
    const networksAfter = await listAll<NetworkRow>(page.request, "network.list");
    expect(networksAfter.map((n) => n.name)).not.toContain(network);

    ok(await trpcMutation(page.request, "vm.destroy", { vmId: vm.vmId }));
  });

  // Known product bug (see the e2e report): the dashboard shows the tRPC message of a validation
  // error, which the error formatter replaces by "invalid input"; the field messages are in
  // `data.fieldErrors` and never shown. Remove `test.fail` once the card shows them.
  test("a bad disk name or size says what is wrong", async ({ page }) => {
    await apiSignIn(page.request, USERS.alice);
    await page.goto("/realm");
    await submitDisk(page, "Bad Disk", "10");
    await expect(storageAlert(page)).toContainText("Name must start with a letter", { timeout: 5_000 });
    await submitDisk(page, uniqueName("e2e-disk"), "0");
    await expect(storageAlert(page)).toContainText("Size must be at least 1 GiB", { timeout: 5_000 });
  });

  // Known product bug (see the e2e report): the live updates (use-live-updates.ts) refetch VM and
  // realm queries only, so the dashboard's disk and network lists never show an attachment made
  // meanwhile, and vm-devices.tsx does not invalidate network.list at all. Remove `test.fail`
  // once the lists follow device operations live.
  test("the dashboard's disk and network lists follow attachments live", async ({ page }) => {
    await apiSignIn(page.request, USERS.alice);
    const vm = await runningVm(page.request, "e2e-dev-live");
    const disk = uniqueName("e2e-disk-live");
    const network = uniqueName("e2e-net-live");
    const diskId = await createDisk(page.request, disk);
    const networkId = await createNetwork(page.request, network);
    try {
      await page.goto("/realm");
      await expect(page.getByTestId(`disk-row-${disk}`)).toContainText("(free)");
      await expect(page.getByTestId(`network-row-${network}`)).toHaveText(new RegExp(`^${network}\\s*Delete$`));
      ok(await trpcMutation(page.request, "vm.attachDisk", { vmId: vm.vmId, diskId }));
      await expectVmState(page.request, vm.vmId, "running");
      ok(await trpcMutation(page.request, "vm.attachNetwork", { vmId: vm.vmId, networkId }));
      await expectVmState(page.request, vm.vmId, "running");
      await expect(page.getByTestId(`vm-state-${vm.name}`)).toHaveText("running");
      await expect(page.getByTestId(`disk-row-${disk}`)).toContainText(`→ ${vm.name}`, { timeout: 8_000 });
      await expect(page.getByTestId(`network-row-${network}`)).toHaveText(`${network} ${vm.name}`, { timeout: 8_000 });
    } finally {
      await cleanUp(page.request, vm.vmId, [diskId], [networkId]);
    }
  });

  // Known product bug (see the e2e report): destroying a VM leaves its disks and network
  // interfaces attached to the destroyed VM for good: neither can be detached (the VM is
  // destroyed) nor deleted (attached). Remove `test.fail` once destroy releases them.
  test("destroying a VM frees its disk and network", async ({ page }) => {
    await apiSignIn(page.request, USERS.alice);
    const vmId = await createVm(page.request, uniqueName("e2e-dev-gone"));
    const disk = uniqueName("e2e-disk-orphan");
    const network = uniqueName("e2e-net-orphan");
    const diskId = await createDisk(page.request, disk);
    const networkId = await createNetwork(page.request, network);
    ok(await trpcMutation(page.request, "vm.attachDisk", { vmId, diskId }));
    await expectVmState(page.request, vmId, "stopped");
    ok(await trpcMutation(page.request, "vm.attachNetwork", { vmId, networkId }));
    await expectVmState(page.request, vmId, "stopped");
    ok(await trpcMutation(page.request, "vm.destroy", { vmId }));
    await expectVmState(page.request, vmId, "destroyed");

    await page.goto("/realm");
    await expect(page.getByTestId(`disk-row-${disk}`)).toContainText("(free)", { timeout: 5_000 });
    ok(await trpcMutation(page.request, "disk.delete", { diskId }));
    ok(await trpcMutation(page.request, "network.delete", { networkId }));
  });

  test("victor (viewer) and olivia (operator): see disks and networks, no forms, no attach or detach", async ({
    pageAs,
  }) => {
    const alice = await pageAs(USERS.alice);
    const vm = await runningVm(alice.request, "e2e-dev-ro");
    const disk = uniqueName("e2e-disk-ro");
    const network = uniqueName("e2e-net-ro");
    const diskId = await createDisk(alice.request, disk);
    const networkId = await createNetwork(alice.request, network);
    const attachedDisk = uniqueName("e2e-disk-att");
    const attachedDiskId = await createDisk(alice.request, attachedDisk, 2);
    ok(await trpcMutation(alice.request, "vm.attachDisk", { vmId: vm.vmId, diskId: attachedDiskId }));
    await expectVmState(alice.request, vm.vmId, "running");

    for (const [who, role] of [
      [USERS.victor, "viewer"],
      [USERS.olivia, "operator"],
    ] as const) {
      const page = await pageAs(who);
      await page.goto("/realm");
      await expect(page.getByText(`your role: ${role === "operator" ? "VM operator" : role}`)).toBeVisible();
      await expect(page.getByTestId(`disk-row-${disk}`)).toHaveText(`${disk} · 5 GiB (free)`);
      await expect(page.getByTestId(`disk-row-${attachedDisk}`)).toHaveText(`${attachedDisk} · 2 GiB → ${vm.name}`);
      await expect(page.getByTestId(`network-row-${network}`)).toHaveText(`${network} `);
      await expect(page.getByTestId("disk-form")).toHaveCount(0);
      await expect(page.getByTestId("network-form")).toHaveCount(0);
      await expect(page.getByTestId("storage-networks").getByRole("button")).toHaveCount(0);
      await screenshot(page, `devices-${role}-dashboard`);

      await page.goto(`/realm/vms/${vm.vmId}`);
      const devices = page.getByTestId("vm-devices");
      await expect(page.getByTestId(`vm-disk-${attachedDisk}`)).toContainText(`disk ${attachedDisk} · 2 GiB`);
      await expect(devices.getByRole("button")).toHaveCount(0);
      await screenshot(page, `devices-${role}-vm`);

      // And the API refuses what the UI does not offer.
      const errorOf = (result: { error?: { code: string; message: string } }) => result.error;
      expect(
        errorOf(await trpcMutation(page.request, "disk.create", { name: uniqueName("nope"), sizeGb: 1 })),
      ).toMatchObject({
        code: "FORBIDDEN",
        message: `your role (${role}) does not allow storage.manage`,
      });
      expect(errorOf(await trpcMutation(page.request, "network.create", { name: uniqueName("nope") }))).toMatchObject({
        code: "FORBIDDEN",
        message: `your role (${role}) does not allow network.manage`,
      });
      expect(errorOf(await trpcMutation(page.request, "disk.delete", { diskId }))).toMatchObject({ code: "FORBIDDEN" });
      expect(errorOf(await trpcMutation(page.request, "vm.attachDisk", { vmId: vm.vmId, diskId }))).toMatchObject({
        code: "FORBIDDEN",
        message: `your role (${role}) does not allow vm.devices`,
      });
      expect(errorOf(await trpcMutation(page.request, "vm.attachNetwork", { vmId: vm.vmId, networkId }))).toMatchObject(
        { code: "FORBIDDEN" },
      );
      expect(
        errorOf(await trpcMutation(page.request, "vm.detachDisk", { vmId: vm.vmId, diskId: attachedDiskId })),
      ).toMatchObject({ code: "FORBIDDEN" });
    }

    // Nothing changed.
    const disks = await listAll<DiskRow>(alice.request, "disk.list");
    expect(disks.find((d) => d.id === diskId)?.vm).toBeNull();
    expect(disks.find((d) => d.id === attachedDiskId)?.vm?.id).toBe(vm.vmId);

    // Clean up.
    ok(await trpcMutation(alice.request, "vm.detachDisk", { vmId: vm.vmId, diskId: attachedDiskId }));
    await expectVmState(alice.request, vm.vmId, "running");
    ok(await trpcMutation(alice.request, "disk.delete", { diskId: attachedDiskId }));
    ok(await trpcMutation(alice.request, "disk.delete", { diskId }));
    ok(await trpcMutation(alice.request, "network.delete", { networkId }));
    ok(await trpcMutation(alice.request, "vm.destroy", { vmId: vm.vmId }));
  });

  test("bob (globex) neither sees nor reaches Acme's disks and networks; a foreign id is just not found", async ({
    pageAs,
  }) => {
    const [alice, bob] = await Promise.all([pageAs(USERS.alice), pageAs(USERS.bob)]);
    const disk = uniqueName("e2e-disk-acme");
    const network = uniqueName("e2e-net-acme");
    const diskId = await createDisk(alice.request, disk);
    const networkId = await createNetwork(alice.request, network);
    // Bob's own VM (db-1 stays untouched).
    const bobVm = uniqueName("e2e-bob-dev");
    const bobVmId = await createVm(bob.request, bobVm);

    // Lists: Acme's are not there, neither on the dashboard nor in the API.
    await bob.goto("/realm");
    await expect(bob.getByTestId("realm-title")).toHaveText("Globex");
    await expect(bob.getByTestId("disk-form")).toBeVisible();
    await expect(bob.getByTestId(`disk-row-${disk}`)).toHaveCount(0);
    await expect(bob.getByTestId(`network-row-${network}`)).toHaveCount(0);
    const bobDisks = await listAll<DiskRow>(bob.request, "disk.list");
    const bobNetworks = await listAll<NetworkRow>(bob.request, "network.list");
    expect(bobDisks.map((d) => d.id)).not.toContain(diskId);
    expect(bobNetworks.map((n) => n.id)).not.toContain(networkId);
    await screenshot(bob, "devices-bob-dashboard");
    await bob.goto(`/realm/vms/${bobVmId}`);
    await expect(bob.getByTestId("vm-state")).toHaveText("stopped");
    await expect(bob.getByRole("button", { name: `Attach disk ${disk}` })).toHaveCount(0);
    await expect(bob.getByRole("button", { name: `Join network ${network}` })).toHaveCount(0);

    // Acting on Acme's ids answers exactly like acting on ids that exist nowhere.
    const random = randomUUID();
    const calls: [string, (id: string) => Promise<{ status: number; error?: unknown }>][] = [
      ["vm.attachDisk", (id) => trpcMutation(bob.request, "vm.attachDisk", { vmId: bobVmId, diskId: id })],
      ["vm.detachDisk", (id) => trpcMutation(bob.request, "vm.detachDisk", { vmId: bobVmId, diskId: id })],
      ["disk.delete", (id) => trpcMutation(bob.request, "disk.delete", { diskId: id })],
    ];
    for (const [path, call] of calls) {
      const onAcme = await call(diskId);
      const onRandom = await call(random);
      expect(onAcme, path).toMatchObject({ status: 404, error: { code: "NOT_FOUND", message: "disk not found" } });
      expect({ status: onRandom.status, error: onRandom.error }, `${path}: Acme's disk vs a random id`).toEqual({
        status: onAcme.status,
        error: onAcme.error,
      });
    }
    const networkCalls: [string, (id: string) => Promise<{ status: number; error?: unknown }>][] = [
      ["vm.attachNetwork", (id) => trpcMutation(bob.request, "vm.attachNetwork", { vmId: bobVmId, networkId: id })],
      ["vm.detachNetwork", (id) => trpcMutation(bob.request, "vm.detachNetwork", { vmId: bobVmId, networkId: id })],
      ["network.delete", (id) => trpcMutation(bob.request, "network.delete", { networkId: id })],
    ];
    for (const [path, call] of networkCalls) {
      const onAcme = await call(networkId);
      const onRandom = await call(random);
      expect(onAcme, path).toMatchObject({ status: 404, error: { code: "NOT_FOUND", message: "network not found" } });
      expect({ status: onRandom.status, error: onRandom.error }, `${path}: Acme's network vs a random id`).toEqual({
        status: onAcme.status,
        error: onAcme.error,
      });
    }

    // Names are per realm: bob may use the same names for his own.
    const bobDiskId = await createDisk(bob.request, disk, 1);
    const bobNetworkId = await createNetwork(bob.request, network);
    expect(bobDiskId).not.toBe(diskId);

    // Nothing happened on Acme's side or to bob's VM.
    const aliceDisks = (await listAll<DiskRow>(alice.request, "disk.list")).filter((d) => d.name === disk);
    expect(aliceDisks).toEqual([expect.objectContaining({ id: diskId, sizeGb: 5, vm: null })]);
    const aliceNetworks = (await listAll<NetworkRow>(alice.request, "network.list")).filter(
      (n) => n.name === network,
    );
    expect(aliceNetworks).toEqual([expect.objectContaining({ id: networkId, vms: [] })]);
    const history = ok(await trpcQuery<{ items: { action: string }[] }>(bob.request, "vm.history", { vmId: bobVmId })).items;
    expect(history.map((op) => op.action)).toEqual(["create"]);

    // Clean up.
    ok(await trpcMutation(bob.request, "disk.delete", { diskId: bobDiskId }));
    ok(await trpcMutation(bob.request, "network.delete", { networkId: bobNetworkId }));
    ok(await trpcMutation(bob.request, "vm.destroy", { vmId: bobVmId }));
    ok(await trpcMutation(alice.request, "disk.delete", { diskId }));
    ok(await trpcMutation(alice.request, "network.delete", { networkId }));
  });
});
