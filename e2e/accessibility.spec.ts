import type { Page } from "@playwright/test";
import { acmeOrgId, invitationLink, seriousViolations, settle, violations } from "./a11y-helpers";
import { createVm, expect, expectVmState, ok, STATE_TIMEOUT, test, trpcMutation, uniqueName, USERS } from "./fixtures";

/**
 * Accessibility of every page a person can reach, each as the role that sees it: axe (WCAG 2.x A
 * and AA plus best practices) finds no serious or critical violation — on the member pages none
 * of moderate impact either, and on the API reference none at all — and every page has the same
 * structure: a "Skip to main content" link first in the tab order, one `<main id="main">`, and a
 * title of its own ("People · Acme Corp · Realmgate", a VM's page its name). A full-page
 * screenshot of each page goes to the test's output directory.
 */

const MODERATE_UP = ["moderate", "serious", "critical"];

async function checkPage(page: Page, path: string, name: string, expectedTitle: string | RegExp, impacts: string[] = ["serious", "critical"]): Promise<void> {
  await test.step(name, async () => {
    await page.goto(path);
    await settle(page);
    await expect(page).toHaveTitle(expectedTitle);
    // One main landmark, ours (the API reference's Scalar renders its own as a section).
    await expect(page.locator("main")).toHaveCount(1);
    await expect(page.locator("main#main")).toHaveCount(1);
    // The skip link is the first thing Tab reaches, and it leads to the main content.
    await page.locator("body").focus();
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press("Tab");
    await expect(page.locator(":focus")).toHaveText("Skip to main content");
    await expect(page.locator(":focus")).toHaveAttribute("href", "#main");
    await page.screenshot({ path: test.info().outputPath(`${name}.png`), fullPage: true });
    const found = await violations(page, name, impacts);
    expect(found, `${impacts.join(", ")} axe violations on ${name} (${path})`).toEqual([]);
  });
}

test("the sign-in page and an invitation link are accessible to a person not signed in", async ({
  browser,
  pageAs,
}) => {
  const alice = await pageAs(USERS.alice);
  const link = await invitationLink(alice.request);
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await checkPage(page, "/signin", "sign-in", "Sign in · Realmgate");
    await checkPage(page, link, "invitation", "Invitation · Realmgate");
  } finally {
    await context.close();
  }
});

test("an owner's pages are accessible: realm, VMs running and stopped, people, API tokens, audit, account", async ({
  pageAs,
}) => {
  test.setTimeout(180_000);
  const alice = await pageAs(USERS.alice);
  const stoppedName = uniqueName("a11y-stopped");
  const runningName = uniqueName("a11y-running");
  const stopped = await createVm(alice.request, stoppedName);
  const running = await createVm(alice.request, runningName);
  ok(await trpcMutation(alice.request, "vm.start", { vmId: running }));
  await expectVmState(alice.request, running, "running");

  await checkPage(alice, "/realm", "realm-dashboard", "Realm · Acme Corp · Realmgate", MODERATE_UP);
  await checkPage(alice, `/realm/vms/${running}`, "vm-running", `${runningName} · Virtual machine · Realmgate`, MODERATE_UP);
  await test.step("vm-console", async () => {
    // The serial console open (xterm.js) on the running VM's page.
    await alice.goto(`/realm/vms/${running}`);
    await settle(alice);
    await alice.getByTestId("console-open").click();
    await expect(alice.getByTestId("console-close")).toBeVisible({ timeout: STATE_TIMEOUT });
    await expect(alice.getByTestId("console-terminal")).toBeVisible();
    await alice.screenshot({ path: test.info().outputPath("vm-console.png"), fullPage: true });
    expect(
      await seriousViolations(alice, "vm-console"),
      "serious or critical axe violations with the console open",
    ).toEqual([]);
    await alice.getByTestId("console-close").click();
  });
  await checkPage(alice, `/realm/vms/${stopped}`, "vm-stopped", `${stoppedName} · Virtual machine · Realmgate`, MODERATE_UP);
  await checkPage(alice, "/realm/people", "people", "People · Acme Corp · Realmgate", MODERATE_UP);
  await checkPage(alice, "/realm/api", "api-tokens", "API tokens · Acme Corp · Realmgate", MODERATE_UP);
  await checkPage(alice, "/realm/audit", "realm-audit", "Audit trail · Acme Corp · Realmgate");
  await checkPage(alice, "/account", "account", "Account · Realmgate");
  await checkPage(alice, "/account/security", "account-security", "Account security · Realmgate");
  // Scalar's own markup included: no violation of any impact (its <main> is served as a section).
  await checkPage(alice, "/api-reference", "api-reference", "API reference · Realmgate", ["minor", ...MODERATE_UP]);
});

test("a viewer's realm and VM pages are accessible (actions hidden, the reason said)", async ({ pageAs }) => {
  const alice = await pageAs(USERS.alice);
  const name = uniqueName("a11y-viewed");
  const vmId = await createVm(alice.request, name);
  const victor = await pageAs(USERS.victor);
  await checkPage(victor, "/realm", "viewer-realm", "Realm · Acme Corp · Realmgate", MODERATE_UP);
  await checkPage(victor, `/realm/vms/${vmId}`, "viewer-vm", `${name} · Virtual machine · Realmgate`, MODERATE_UP);
  await checkPage(victor, "/realm/audit", "viewer-audit", "Audit trail · Acme Corp · Realmgate");
});

test("the platform operator's pages are accessible: overview and denials, organizations, fleet, activity, integrity, audit", async ({
  pageAs,
}) => {
  test.setTimeout(180_000);
  const ops = await pageAs(USERS.ops);
  const orgId = await acmeOrgId(ops.request);
  await checkPage(ops, "/operator", "operator-overview", "Operator overview · Realmgate");
  await checkPage(ops, "/operator/organizations", "operator-organizations", "Organizations · Realmgate");
  await checkPage(ops, `/operator/organizations/${orgId}`, "operator-organization", "Organization · Realmgate");
  await checkPage(ops, "/operator/fleet", "operator-fleet", "Fleet map · Realmgate");
  await checkPage(ops, "/operator/activity", "operator-activity", "Activity · Realmgate");
  await checkPage(ops, "/operator/integrity", "operator-integrity", "Audit integrity · Realmgate");
  await checkPage(ops, "/operator/audit", "operator-audit", "Audit trail (all realms) · Realmgate");
});

test("a dark button reached with the keyboard shows a focus ring", async ({ pageAs }) => {
  const alice = await pageAs(USERS.alice);
  await alice.goto("/realm/people");
  await settle(alice);
  // Tab from the top of the page until a dark (primary) button has the focus: the invite form's.
  let ring: { outlineStyle: string; outlineWidth: string; text: string } | null = null;
  for (let presses = 0; presses < 80 && !ring; presses++) {
    await alice.keyboard.press("Tab");
    ring = await alice.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el.tagName !== "BUTTON" || !el.className.includes("bg-slate-900")) return null;
      const style = getComputedStyle(el);
      return { outlineStyle: style.outlineStyle, outlineWidth: style.outlineWidth, text: el.textContent ?? "" };
    });
  }
  expect(ring, "a dark button in the tab order").not.toBeNull();
  expect(ring!.outlineStyle).toBe("solid");
  expect(parseFloat(ring!.outlineWidth)).toBeGreaterThanOrEqual(2);
  await alice.screenshot({ path: test.info().outputPath("focus-ring.png") });
});
