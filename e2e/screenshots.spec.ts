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

/**
 * A walk through every member page as each kind of member (owner, admin, operator-role member,
 * viewer), on a desktop and a 390 px phone: full-page screenshots in the test's output directory,
 * for a person to look at (nothing is asserted beyond each page loading).
 */
test("walk: every member page as owner, admin, operator-role member and viewer, desktop and phone", async ({ pageAs }) => {
  test.setTimeout(600_000);
  const alice = await pageAs(USERS.alice);
  const stopped = await createVm(alice.request, uniqueName("walk-stopped"));
  const running = await createVm(alice.request, uniqueName("walk-running"));
  ok(await trpcMutation(alice.request, "vm.start", { vmId: running }));
  await expectVmState(alice.request, running, "running");
  const pages: [string, string][] = [
    ["realm", "/realm"],
    ["vm-running", `/realm/vms/${running}`],
    ["vm-stopped", `/realm/vms/${stopped}`],
    ["people", "/realm/people"],
    ["api", "/realm/api"],
    ["audit", "/realm/audit"],
    ["account", "/account"],
    ["security", "/account/security"],
    ["api-reference", "/api-reference"],
  ];
  for (const [who, email] of [["owner", USERS.alice], ["admin", USERS.casey], ["operator", USERS.olivia], ["viewer", USERS.victor]] as const) {
    const page = who === "owner" ? alice : await pageAs(email);
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: width > 400 ? 900 : 844 });
      for (const [name, path] of pages) {
        await page.goto(path);
        await settle(page);
        await page.screenshot({ path: test.info().outputPath(`${who}-${width}-${name}.png`), fullPage: true });
      }
    }
  }
});
