import type { Locator, Page } from "@playwright/test";
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
} from "./fixtures";

/**
 * The VM detail page's lifecycle actions (components/vm/vm-actions.tsx): pause, resume, reboot,
 * live migration and hard stop, each offered only in the states and to the roles that allow it,
 * with state, host and history updating live (no reload).
 */

const HOSTS = ["xen-a", "xen-b"];
const ACTIONS = ["start", "resume", "pause", "reboot", "stop", "hard-stop", "migrate", "destroy"] as const;
type Action = (typeof ACTIONS)[number];

/** A value of the Details card ("Template", "Size", "Host", "Domain id"). */
function detail(page: Page, label: string): Locator {
  return page.locator("dl > div", { has: page.locator("dt", { hasText: new RegExp(`^${label}$`) }) }).locator("dd");
}

/** The history row(s) of one action (third column), e.g. "reboot". */
function historyRows(page: Page, action: string): Locator {
  return page
    .getByTestId("vm-history")
    .locator("tbody tr")
    .filter({ has: page.locator("td:nth-child(3)", { hasText: new RegExp(`^${action}$`) }) });
}

/** Exactly `offered` of the lifecycle buttons are on the page, no others. */
async function expectOffered(page: Page, name: string, offered: Action[]): Promise<void> {
  for (const action of ACTIONS) {
    await expect(page.getByTestId(`${action}-${name}`), `${action} offered`).toHaveCount(
      offered.includes(action) ? 1 : 0,
    );
  }
}

/** Waits until the latest `action` operation in the history has succeeded (worker-driven). */
async function expectSucceeded(page: Page, action: string, count = 1): Promise<void> {
  const rows = historyRows(page, action);
  await expect(rows).toHaveCount(count, { timeout: STATE_TIMEOUT });
  await expect(rows.first().locator("td:nth-child(4)")).toHaveText("succeeded", { timeout: STATE_TIMEOUT });
}

test.describe("VM operations on the detail page", () => {
  test("alice: start → pause → resume → reboot → migrate → hard stop, all live", async ({ page }) => {
    await apiSignIn(page.request, USERS.alice);
    const name = uniqueName("e2e-ops");
    const vmId = await createVm(page.request, name);
    await page.goto(`/realm/vms/${vmId}`);
    await expect(page.getByTestId("vm-title")).toContainText(name);
    const state = page.getByTestId("vm-state");
    await expect(state).toHaveText("stopped");
    await expectOffered(page, name, ["start", "migrate", "destroy"]);

    // Start.
    await page.getByTestId(`start-${name}`).click();
    await expect(state).toHaveText("running", { timeout: STATE_TIMEOUT });
    await expectSucceeded(page, "start");
    await expectOffered(page, name, ["pause", "reboot", "stop", "hard-stop", "migrate", "destroy"]);
    const firstHost = (await detail(page, "Host").innerText()).trim();
    expect(HOSTS).toContain(firstHost);
    await expect(detail(page, "Domain id")).toHaveText(/^\d+$/);
    await screenshot(page, "vm-ops-running");

    // Pause: only resume, stop, hard stop and destroy remain.
    await page.getByTestId(`pause-${name}`).click();
    await expect(state).toHaveText("paused", { timeout: STATE_TIMEOUT });
    await expectSucceeded(page, "pause");
    await expectOffered(page, name, ["resume", "stop", "hard-stop", "destroy"]);
    await screenshot(page, "vm-ops-paused");

    // Resume.
    await page.getByTestId(`resume-${name}`).click();
    await expect(state).toHaveText("running", { timeout: STATE_TIMEOUT });
    await expectSucceeded(page, "resume");
    await expectOffered(page, name, ["pause", "reboot", "stop", "hard-stop", "migrate", "destroy"]);

    // Reboot (asks first): running before and after, so the history is what tells it happened.
    page.once("dialog", (dialog) => void dialog.accept());
    await page.getByTestId(`reboot-${name}`).click();
    await expectSucceeded(page, "reboot");
    await expect(state).toHaveText("running", { timeout: STATE_TIMEOUT });
    await expect(historyRows(page, "reboot").locator("td:nth-child(2)")).toHaveText("Alice Admin");
    await screenshot(page, "vm-ops-rebooted");

    // Migrate: the Host field moves to the other host; the VM keeps running there.
    const otherHost = HOSTS.find((h) => h !== firstHost)!;
    await page.getByTestId(`migrate-${name}`).click();
    await page.getByTestId(`migrate-confirm-${name}`).click(); // the destination: automatic
    await expect(detail(page, "Host")).toHaveText(otherHost, { timeout: STATE_TIMEOUT });
    await expectSucceeded(page, "migrate");
    await expect(state).toHaveText("running", { timeout: STATE_TIMEOUT });
    await expect(detail(page, "Domain id")).toHaveText(/^\d+$/);
    const afterMigrate = ok(
      await trpcQuery<{ observedState: string; host: { name: string } }>(page.request, "vm.get", { vmId }),
    );
    expect(afterMigrate).toMatchObject({ observedState: "running", host: { name: otherHost } });
    await screenshot(page, "vm-ops-migrated");

    // Hard stop asks first; dismissing it changes nothing.
    const operationsBefore = await page.getByTestId("vm-history").locator("tbody tr").count();
    page.once("dialog", (dialog) => {
      expect(dialog.type()).toBe("confirm");
      expect(dialog.message()).toBe(`Hard stop ${name}? Unsaved guest state is lost.`);
      void dialog.dismiss();
    });
    await page.getByTestId(`hard-stop-${name}`).click();
    await expect(state).toHaveText("running");
    await expect(page.getByTestId("vm-history").locator("tbody tr")).toHaveCount(operationsBefore);
    expect(ok(await trpcQuery<{ items: { action: string }[] }>(page.request, "vm.history", { vmId, limit: 20 })).items).toHaveLength(
      operationsBefore,
    );

    // Accepted: stopped, on the same host.
    page.once("dialog", (dialog) => void dialog.accept());
    await page.getByTestId(`hard-stop-${name}`).click();
    await expect(state).toHaveText("stopped", { timeout: STATE_TIMEOUT });
    await expectSucceeded(page, "stop");
    await expect(detail(page, "Host")).toHaveText(otherHost);
    await expectOffered(page, name, ["start", "migrate", "destroy"]);

    // The whole story, newest first, all by alice, all succeeded.
    const rows = page.getByTestId("vm-history").locator("tbody tr");
    await expect(rows.locator("td:nth-child(3)")).toHaveText([
      "stop",
      "migrate",
      "reboot",
      "resume",
      "pause",
      "start",
      "create",
    ]);
    await expect(rows.locator("td:nth-child(2)")).toHaveText(Array(7).fill("Alice Admin"));
    await expect(rows.locator("td:nth-child(4)")).toHaveText(Array(7).fill("succeeded"));
    await screenshot(page, "vm-ops-hard-stopped");

    ok(await trpcMutation(page.request, "vm.destroy", { vmId }));
    await expectVmState(page.request, vmId, "destroyed");
  });

  test("alice: a stopped VM migrates too and stays stopped", async ({ page }) => {
    await apiSignIn(page.request, USERS.alice);
    const name = uniqueName("e2e-cold");
    const vmId = await createVm(page.request, name);
    await page.goto(`/realm/vms/${vmId}`);
    await expect(page.getByTestId("vm-state")).toHaveText("stopped");
    const firstHost = (await detail(page, "Host").innerText()).trim();
    const otherHost = HOSTS.find((h) => h !== firstHost)!;
    await page.getByTestId(`migrate-${name}`).click();
    await page.getByTestId(`migrate-confirm-${name}`).click();
    await expect(detail(page, "Host")).toHaveText(otherHost, { timeout: STATE_TIMEOUT });
    await expectSucceeded(page, "migrate");
    await expect(page.getByTestId("vm-state")).toHaveText("stopped");
    await expect(page.getByRole("alert").filter({ hasText: /./ })).toHaveCount(0);

    ok(await trpcMutation(page.request, "vm.destroy", { vmId }));
    await expectVmState(page.request, vmId, "destroyed");
  });

  test("olivia (operator role): pause, resume, reboot, stop and hard stop; no migrate, no destroy", async ({
    page,
    pageAs,
  }) => {
    const alice = await pageAs(USERS.alice);
    const name = uniqueName("e2e-olivia-ops");
    const vmId = await createVm(alice.request, name);
    ok(await trpcMutation(alice.request, "vm.start", { vmId }));
    await expectVmState(alice.request, vmId, "running");

    await apiSignIn(page.request, USERS.olivia);
    await page.goto(`/realm/vms/${vmId}`);
    const state = page.getByTestId("vm-state");
    await expect(state).toHaveText("running");
    await expectOffered(page, name, ["pause", "reboot", "stop", "hard-stop"]);
    await screenshot(page, "vm-ops-olivia-running");

    await page.getByTestId(`pause-${name}`).click();
    await expect(state).toHaveText("paused", { timeout: STATE_TIMEOUT });
    await expectOffered(page, name, ["resume", "stop", "hard-stop"]);
    await page.getByTestId(`resume-${name}`).click();
    await expect(state).toHaveText("running", { timeout: STATE_TIMEOUT });
    page.once("dialog", (dialog) => void dialog.accept());
    await page.getByTestId(`reboot-${name}`).click();
    await expectSucceeded(page, "reboot");
    await expect(historyRows(page, "reboot").locator("td:nth-child(2)")).toHaveText("Olivia Operator");
    await expect(state).toHaveText("running", { timeout: STATE_TIMEOUT });

    // Migrate is refused by the API as well, and changes nothing.
    const host = (await detail(page, "Host").innerText()).trim();
    const migrate = await trpcMutation(page.request, "vm.migrate", { vmId });
    expect(migrate.status).toBe(403);
    expect(migrate.error?.code).toBe("FORBIDDEN");
    expect(migrate.error?.message).toBe("your role (operator) does not allow vm.migrate");
    await expect(detail(page, "Host")).toHaveText(host);

    // Hard stop needs vm.stop only, which the operator role has.
    page.once("dialog", (dialog) => void dialog.accept());
    await page.getByTestId(`hard-stop-${name}`).click();
    await expect(state).toHaveText("stopped", { timeout: STATE_TIMEOUT });
    await expectSucceeded(page, "stop");
    await expectOffered(page, name, ["start"]);
    await screenshot(page, "vm-ops-olivia-stopped");
  });

  test("victor (viewer): a running VM's page offers no action at all; pause/reboot/migrate are FORBIDDEN", async ({
    page,
    pageAs,
  }) => {
    const alice = await pageAs(USERS.alice);
    const name = uniqueName("e2e-victor-ops");
    const vmId = await createVm(alice.request, name);
    ok(await trpcMutation(alice.request, "vm.start", { vmId }));
    await expectVmState(alice.request, vmId, "running");

    await apiSignIn(page.request, USERS.victor);
    await page.goto(`/realm/vms/${vmId}`);
    await expect(page.getByTestId("vm-state")).toHaveText("running");
    await expectOffered(page, name, []);
    for (const path of ["vm.pause", "vm.reboot", "vm.migrate", "vm.stop"]) {
      const result = await trpcMutation(page.request, path, { vmId });
      expect(result.error?.code, path).toBe("FORBIDDEN");
    }
    await expect(page.getByTestId("vm-state")).toHaveText("running");
    const history = ok(await trpcQuery<{ items: { action: string }[] }>(page.request, "vm.history", { vmId })).items;
    expect(history.map((op) => op.action)).toEqual(["start", "create"]);
  });
});
