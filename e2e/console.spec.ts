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
 * Serial console and metrics in the browser (issue 14): an admin opens the console of a running
 * VM (xterm.js), types a command and sees its answer, closes it; the VM page charts the VM's
 * metrics and the realm page shows measured use beside the quota. Screenshots in e2e/artifacts.
 */

test.describe("serial console and metrics", () => {
  test("alice opens a running VM's console, runs `uname -a`, closes it; metrics are charted", async ({ page }) => {
    test.setTimeout(180_000);
    await apiSignIn(page.request, USERS.alice);
    const name = uniqueName("console");
    const vmId = await createVm(page.request, name);
    ok(await trpcMutation(page.request, "vm.start", { vmId }));
    await expectVmState(page.request, vmId, "running");

    await page.goto(`/realm/vms/${vmId}`);
    await expect(page.getByTestId("vm-title")).toContainText(name);
    await page.getByTestId("console-open").click();
    const terminal = page.getByTestId("console-terminal");
    // The guest's boot log ends at its shell prompt.
    await expect(terminal).toContainText(`${name} login: root`, { timeout: STATE_TIMEOUT });
    await expect(terminal).toContainText(`root@${name}:~#`, { timeout: STATE_TIMEOUT });
    await terminal.click();
    await page.keyboard.type("uname -a");
    await page.keyboard.press("Enter");
    await expect(terminal).toContainText("GNU/Linux", { timeout: STATE_TIMEOUT });
    await page.keyboard.type("hostname");
    await page.keyboard.press("Enter");
    await page.keyboard.type("nosuchcommand");
    await page.keyboard.press("Enter");
    await expect(terminal).toContainText("sh: nosuchcommand: not found", { timeout: STATE_TIMEOUT });
    await screenshot(page, "console-open");

    await page.getByTestId("console-close").click();
    await expect(page.getByTestId("console-open")).toBeVisible();
    await expect(page.getByTestId("console-status")).toBeVisible();

    // Opening and closing are in the realm's audit trail, with the session id.
    await expect
      .poll(
        async () => {
          const trail = await trpcQuery<{ items: { action: string }[] } | { action: string }[]>(page.request, "realm.audit", {});
          const rows = Array.isArray(trail.data) ? trail.data : (trail.data?.items ?? []);
          return rows.map((r) => r.action).filter((a) => a.startsWith("vm.console."));
        },
        { timeout: STATE_TIMEOUT },
      )
      .toEqual(expect.arrayContaining(["vm.console.open", "vm.console.close"]));

    // Metrics: the worker samples every 10 s; the page refetches as often.
    await expect(page.getByTestId("metrics-charts")).toBeVisible({ timeout: 40_000 });
    // Two samples of the running VM give a rate (computed on the server from the counters' deltas).
    await expect(page.getByTestId("metrics-latest")).toContainText(/CPU [\d.]+ % of 1 vCPU/, { timeout: 60_000 });
    await page.getByTestId("chart-cpu").scrollIntoViewIfNeeded();
    await screenshot(page, "vm-metrics");

    await page.goto("/realm");
    await expect(page.getByTestId("measured-usage")).toContainText(/Measured use/, { timeout: 40_000 });
    await screenshot(page, "realm-measured-usage");
  });

  test("a console nobody types into warns before it closes; Keep open keeps it; then it closes and says why", async ({ page }) => {
    test.setTimeout(120_000);
    // The page's clock, so ten idle minutes pass at once (REALMGATE_CONSOLE_IDLE_MS: the default).
    await page.clock.install();
    await apiSignIn(page.request, USERS.alice);
    const name = uniqueName("idle");
    const vmId = await createVm(page.request, name);
    ok(await trpcMutation(page.request, "vm.start", { vmId }));
    await expectVmState(page.request, vmId, "running");
    await page.goto(`/realm/vms/${vmId}`);
    await expect(page.getByTestId("console-status")).toContainText("closes after 10 minutes without typing");
    await page.getByTestId("console-open").click();
    const terminal = page.getByTestId("console-terminal");
    await expect(terminal).toContainText(`root@${name}:~#`, { timeout: STATE_TIMEOUT });
    const warning = page.getByTestId("console-idle-warning");
    await expect(warning).toHaveCount(0);

    await page.clock.fastForward("09:40");
    await expect(warning).toBeVisible();
    await expect(warning).toContainText("about to close");
    await expect(page.getByTestId("console-idle-countdown")).toHaveText(/^(20|19|18) s left$/);
    await screenshot(page, "console-idle-warning");
    await page.getByTestId("console-keep-open").click();
    await expect(warning).toHaveCount(0);
    await expect(page.getByTestId("console-close")).toBeVisible();

    // Typing counts as activity too: nine minutes later, no warning.
    await terminal.click();
    await page.keyboard.type("hostname");
    await page.keyboard.press("Enter");
    await page.clock.fastForward("09:00");
    await expect(page.getByTestId("console-close")).toBeVisible();
    await expect(warning).toHaveCount(0);

    // Then nobody types: warned, then closed, and the panel says why.
    await page.clock.fastForward("00:40");
    await expect(warning).toBeVisible();
    await page.clock.fastForward("00:30");
    await expect(page.getByTestId("console-status")).toContainText("nobody typed for 10 minutes");
    await expect(page.getByTestId("console-open")).toBeVisible();
  });

  test("victor (viewer) sees the metrics but no console", async ({ page }) => {
    await apiSignIn(page.request, USERS.victor);
    const vms = await trpcQuery<{ items: { id: string; kind: string }[] }>(page.request, "vm.list", {});
    const guest = vms.data?.items.find((v) => v.kind === "guest");
    test.skip(!guest, "no guest VM in Acme to look at");
    await page.goto(`/realm/vms/${guest!.id}`);
    await expect(page.getByTestId("vm-title")).toBeVisible();
    await expect(page.getByText("Metrics (last hour)")).toBeVisible();
    await expect(page.getByTestId("console-open")).toHaveCount(0);
    // The server refuses it too.
    const refused = await trpcMutation(page.request, "vm.console.open", { vmId: guest!.id });
    expect(refused.error?.code).toBe("FORBIDDEN");
  });
});
