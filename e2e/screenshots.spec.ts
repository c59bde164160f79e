import { settle } from "./a11y-helpers";
import { createVm, expect, expectVmState, ok, test, trpcMutation, uniqueName, USERS } from "./fixtures";

/**
 * The README's screenshots (docs/screenshots/*.png, 1280 px wide). Skipped unless
 * REALMGATE_SCREENSHOTS=1, so the suite never rewrites tracked files by accident:
 *
 *   REALMGATE_SCREENSHOTS=1 flock /tmp/realmgate-e2e.lock npx playwright test e2e/screenshots.spec.ts
 */

const DIR = "docs/screenshots";

test.skip(process.env.REALMGATE_SCREENSHOTS !== "1", "set REALMGATE_SCREENSHOTS=1 to refresh docs/screenshots");
test.use({ viewport: { width: 1280, height: 900 } });

test("README screenshots: the realm dashboard, a running VM, the operator's fleet map", async ({ pageAs }) => {
  test.setTimeout(180_000);
  const alice = await pageAs(USERS.alice);
  const vmId = await createVm(alice.request, uniqueName("web"));
  ok(await trpcMutation(alice.request, "vm.start", { vmId }));
  await expectVmState(alice.request, vmId, "running");

  await alice.goto("/realm");
  await settle(alice);
  await alice.screenshot({ path: `${DIR}/realm-dashboard.png` });

  await alice.goto(`/realm/vms/${vmId}`);
  await settle(alice);
  await expect(alice.getByTestId("vm-title")).toBeVisible();
  // Half a minute of metrics for the charts.
  await alice.waitForTimeout(30_000);
  await alice.screenshot({ path: `${DIR}/vm-page.png` });

  const ops = await pageAs(USERS.ops);
  await ops.goto("/operator/fleet");
  await settle(ops);
  // The map is short: the page down to its content, 1280 px wide.
  await ops.setViewportSize({ width: 1280, height: 560 });
  await ops.screenshot({ path: `${DIR}/operator-fleet.png`, fullPage: true });
});
