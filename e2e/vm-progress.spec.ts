import type { Page } from "@playwright/test";
import {
  apiSignIn,
  createVm,
  expect,
  expectVmState,
  ok,
  screenshot,
  STATE_TIMEOUT,
  test,
  trpcMutation,
  trpcQuery,
  uniqueName,
  USERS,
  vmIdByName,
} from "./fixtures";

/**
 * Issue 14, progress and feedback: an accepted action shows the operation in progress on the
 * VM's row ("starting…") with every conflicting action disabled until the VM settles; create
 * confirms in words with a link and a fresh form; field errors in words; a viewer and a VM
 * operator are told why buttons are missing and whom to ask; reboot and migrate (to a chosen
 * host) from the list, asking first.
 *
 * The simulated hypervisor settles an operation in milliseconds, so each journey holds the
 * browser's request for a moment (page.route, then it goes through unchanged) to look at the
 * row while the action is on its way.
 */

const HOSTS = ["xen-a", "xen-b"];

/**
 * Holds the page's calls of one tRPC procedure until `release` (milliseconds, or a promise),
 * then lets them through unchanged.
 */
async function holdCalls(page: Page, procedure: string, release: number | Promise<void> = 1_500): Promise<void> {
  await page.route(
    (url) => url.pathname.startsWith("/api/trpc/") && url.pathname.split("/").pop()!.split(",").includes(procedure),
    async (route) => {
      await (typeof release === "number" ? new Promise((resolve) => setTimeout(resolve, release)) : release);
      await route.continue();
    },
  );
}

/** The VM list's "More" menu of one VM, opened. */
async function openMore(page: Page, name: string): Promise<void> {
  await page.getByTestId(`more-${name}`).click();
}

test.describe("progress and feedback on the VM list", () => {
  test("alice starts a VM: the row says starting… with Start disabled, then running", async ({ page }) => {
    await apiSignIn(page.request, USERS.alice);
    const name = uniqueName("e2e-prog");
    await createVm(page.request, name);
    await page.goto("/realm");
    const state = page.getByTestId(`vm-state-${name}`);
    await expect(state).toHaveText("stopped");
    const start = page.getByTestId(`start-${name}`);
    await expect(start).toBeEnabled();

    await holdCalls(page, "vm.start");
    await start.click();
    const progress = page.getByTestId(`vm-progress-${name}`);
    await expect(progress).toContainText("starting…");
    // Every action conflicts with the one in flight: none can be clicked, Start included.
    await expect(start).toBeDisabled();
    await expect(start).toHaveAttribute("title", "starting in progress: wait until it finishes");
    await expect(page.getByTestId(`more-${name}`)).toBeVisible();
    await openMore(page, name);
    await expect(page.getByTestId(`destroy-${name}`)).toBeDisabled();
    await screenshot(page, "progress-starting");

    await expect(state).toHaveText("running", { timeout: STATE_TIMEOUT });
    await expect(progress).toHaveText("");
    await expect(page.getByTestId(`start-${name}`)).toHaveCount(0);
    await expect(page.getByTestId(`stop-${name}`)).toBeEnabled();
    // No stale error beside the VM: the second start the old console allowed never happened.
    await expect(page.getByTestId(`vm-error-${name}`)).toHaveCount(0);
    const vmId = await vmIdByName(page.request, name);
    const history = ok(await trpcQuery<{ items: { action: string; status: string }[] }>(page.request, "vm.history", { vmId })).items;
    expect(history.map((op) => `${op.action}:${op.status}`)).toEqual(["start:succeeded", "create:succeeded"]);
    await screenshot(page, "progress-running");
  });

  test("a refused action's error stays beside the VM until its next state arrives, then clears", async ({ page }) => {
    await apiSignIn(page.request, USERS.alice);
    const name = uniqueName("e2e-stale");
    const vmId = await createVm(page.request, name);
    await page.goto("/realm");
    await expect(page.getByTestId(`vm-state-${name}`)).toHaveText("stopped");

    // This tab's Start is held on its way while another client starts the VM first. It is let
    // through once this tab shows the VM running: released earlier (a fixed delay on a busy
    // machine), it could be refused while the VM was still starting, and the running state
    // arriving after the refusal would rightly clear the error before it was looked at.
    let release!: () => void;
    await holdCalls(page, "vm.start", new Promise<void>((resolve) => (release = resolve)));
    await page.getByTestId(`start-${name}`).click();
    ok(await trpcMutation(page.request, "vm.start", { vmId }));
    await expectVmState(page.request, vmId, "running");
    await expect(page.getByTestId(`vm-state-${name}`)).toHaveText("running", { timeout: STATE_TIMEOUT });
    release();
    const error = page.getByTestId(`vm-error-${name}`);
    await expect(error).toContainText("cannot start a VM that is running", { timeout: STATE_TIMEOUT });
    await expect(page.getByTestId(`vm-state-${name}`)).toHaveText("running");
    await screenshot(page, "progress-refused");

    // The VM's next state (another client stops it) makes the error stale: it goes.
    ok(await trpcMutation(page.request, "vm.stop", { vmId }));
    await expect(page.getByTestId(`vm-state-${name}`)).toHaveText("stopped", { timeout: STATE_TIMEOUT });
    await expect(error).toHaveCount(0);
    await expect(page.getByTestId(`start-${name}`)).toBeEnabled();
    ok(await trpcMutation(page.request, "vm.destroy", { vmId }));
  });

  test("alice creates a VM: confirmed in words with a link, the form reset; errors in words", async ({ page }) => {
    await apiSignIn(page.request, USERS.alice);
    await page.goto("/realm");
    const form = page.getByTestId("create-vm-form");
    await expect(form.locator('select[name="templateId"] option')).not.toHaveCount(0);
    const submit = form.getByRole("button", { name: "Create VM" });

    // A field error says it in words and units, not with the API's field name.
    await form.locator('[name="name"]').fill(uniqueName("e2e-big"));
    await form.locator('[name="memoryMb"]').fill("300000");
    await submit.click();
    const memoryError = form.locator("label", { has: page.locator('[name="memoryMb"]') }).getByRole("alert");
    await expect(memoryError).toHaveText("Memory must be at most 256 GiB");
    await expect(form).not.toContainText("memoryMb");
    await screenshot(page, "progress-field-error-in-words");

    const name = uniqueName("e2e-made");
    await form.locator('[name="name"]').fill(name);
    await form.locator('[name="memoryMb"]').fill("");
    await submit.click();
    const accepted = form.getByTestId("create-vm-accepted");
    await expect(accepted).toContainText(`Creating ${name}`);
    await expect(accepted).not.toContainText("operation");
    await expect(form.getByRole("alert")).toHaveCount(0);
    // A fresh form: a second click cannot meet "name already exists".
    await expect(form.locator('[name="name"]')).toHaveValue("");
    await expect(form.locator('[name="memoryMb"]')).toHaveValue("");
    await screenshot(page, "progress-created");

    await form.getByTestId("create-vm-link").click();
    await expect(page).toHaveURL(/\/realm\/vms\/[0-9a-f-]{36}$/);
    await expect(page.getByTestId("vm-title")).toContainText(name);
    await expect(page.getByTestId("vm-state")).toHaveText("stopped", { timeout: STATE_TIMEOUT });
    const vmId = page.url().split("/").pop()!;
    ok(await trpcMutation(page.request, "vm.destroy", { vmId }));
  });

  test("victor (viewer) and olivia (VM operator) are told why buttons are missing and whom to ask", async ({ pageAs }) => {
    const victor = await pageAs(USERS.victor);
    await victor.goto("/realm");
    await expect(victor.getByTestId("realm-role")).toHaveText("Viewer");
    const notice = victor.getByTestId("role-notice");
    await expect(notice).toContainText("You are a Viewer in this organization");
    await expect(notice).toContainText("no action buttons are shown");
    await expect(notice.getByTestId("role-notice-managers")).toContainText("Alice Admin (alice@acme.test, owner)");
    await expect(victor.getByTestId("role-notice")).toHaveCount(1);
    await screenshot(victor, "progress-viewer-notice");

    const olivia = await pageAs(USERS.olivia);
    await olivia.goto("/realm");
    await expect(olivia.getByTestId("realm-role")).toHaveText("VM operator");
    await expect(olivia.getByTestId("whoami")).toContainText("Acme Corp (VM operator)");
    const oliviaNotice = olivia.getByTestId("role-notice");
    await expect(oliviaNotice).toContainText("You are a VM operator in this organization");
    await expect(oliviaNotice).toContainText("not create, migrate or destroy them");
    await expect(oliviaNotice).toContainText("Alice Admin");
    await screenshot(olivia, "progress-operator-notice");

    // An owner is told nothing: every button is there.
    const alice = await pageAs(USERS.alice);
    await alice.goto("/realm");
    await expect(alice.getByTestId("realm-title")).toHaveText("Acme Corp");
    await expect(alice.getByTestId("role-notice")).toHaveCount(0);
  });

  test("alice reboots and migrates from the list, asked first, to the host she chose", async ({ page }) => {
    await apiSignIn(page.request, USERS.alice);
    const name = uniqueName("e2e-listops");
    const vmId = await createVm(page.request, name);
    ok(await trpcMutation(page.request, "vm.start", { vmId }));
    await expectVmState(page.request, vmId, "running");
    await page.goto("/realm");
    const row = page.getByTestId(`vm-row-${name}`);
    const state = page.getByTestId(`vm-state-${name}`);
    await expect(state).toHaveText("running");
    // The name is a real link to the VM's page.
    await expect(row.getByRole("link", { name })).toHaveAttribute("href", new RegExp(`/realm/vms/${vmId}`));

    // Reboot asks first; dismissing changes nothing.
    await openMore(page, name);
    page.once("dialog", (dialog) => {
      expect(dialog.type()).toBe("confirm");
      expect(dialog.message()).toBe(`Reboot ${name}? The guest restarts; work not saved inside it is lost.`);
      void dialog.dismiss();
    });
    await page.getByTestId(`reboot-${name}`).click();
    await expect(page.getByTestId(`vm-progress-${name}`)).toHaveText("");
    expect(ok(await trpcQuery<{ items: { action: string }[] }>(page.request, "vm.history", { vmId })).items.map((op) => op.action)).toEqual(["start", "create"]);

    // Accepted: rebooting… in the row, then running again.
    await holdCalls(page, "vm.reboot");
    await openMore(page, name);
    page.once("dialog", (dialog) => void dialog.accept());
    await page.getByTestId(`reboot-${name}`).click();
    await expect(page.getByTestId(`vm-progress-${name}`)).toContainText("rebooting…");
    await expect(page.getByTestId(`stop-${name}`)).toBeDisabled();
    await screenshot(page, "progress-rebooting");
    await expect(page.getByTestId(`vm-progress-${name}`)).toHaveText("", { timeout: STATE_TIMEOUT });
    await expect(state).toHaveText("running");
    await expect
      .poll(async () => ok(await trpcQuery<{ items: { action: string; status: string }[] }>(page.request, "vm.history", { vmId })).items[0], { timeout: STATE_TIMEOUT })
      .toMatchObject({ action: "reboot", status: "succeeded" });

    // Migrate: the destination among the hosts placement allows (not the VM's own), or automatic.
    const hostCell = row.locator("td:nth-child(5)");
    const from = (await hostCell.innerText()).trim();
    const to = HOSTS.find((h) => h !== from)!;
    await openMore(page, name);
    await page.getByTestId(`migrate-${name}`).click();
    const dialog = page.getByTestId(`migrate-dialog-${name}`);
    await expect(dialog).toBeVisible();
    const destination = dialog.getByTestId(`migrate-destination-${name}`);
    await expect(destination.locator("option")).toHaveText(["Automatic (placement chooses)", to]);
    await screenshot(page, "progress-migrate-dialog");
    // Cancel changes nothing.
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await expect(dialog).toHaveCount(0);
    await expect(hostCell).toHaveText(from);

    await openMore(page, name);
    await page.getByTestId(`migrate-${name}`).click();
    await expect(destination.locator("option")).toHaveText(["Automatic (placement chooses)", to]);
    await destination.selectOption({ label: to });
    await holdCalls(page, "vm.migrate");
    await dialog.getByTestId(`migrate-confirm-${name}`).click();
    await expect(page.getByTestId(`vm-progress-${name}`)).toContainText("migrating…");
    await screenshot(page, "progress-migrating");
    await expect(hostCell).toHaveText(to, { timeout: STATE_TIMEOUT });
    await expect(state).toHaveText("running", { timeout: STATE_TIMEOUT });
    await expect(page.getByTestId(`vm-progress-${name}`)).toHaveText("", { timeout: STATE_TIMEOUT });
    await expect(page.getByTestId(`vm-error-${name}`)).toHaveCount(0);
    await screenshot(page, "progress-migrated");

    // Destroy from the list asks first too.
    await openMore(page, name);
    page.once("dialog", (d) => {
      expect(d.message()).toBe(`Destroy ${name}? This cannot be undone.`);
      void d.accept();
    });
    await page.getByTestId(`destroy-${name}`).click();
    await expectVmState(page.request, vmId, "destroyed");
    await expect(row).toHaveCount(0, { timeout: STATE_TIMEOUT });
  });
});
