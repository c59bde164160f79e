import type { Page } from "@playwright/test";
import { acmeOrgId, invitationLink, settle } from "./a11y-helpers";
import { createVm, expect, test, uniqueName, USERS } from "./fixtures";

/**
 * A phone 390 px wide: no page scrolls sideways (tables become one card per row, the header's
 * links wrap). Each page's full-page screenshot goes to the test's output directory.
 */

test.use({ viewport: { width: 390, height: 844 } });

async function fitsPhone(page: Page, path: string, name: string): Promise<void> {
  await test.step(name, async () => {
    await page.goto(path);
    await settle(page);
    await page.screenshot({ path: test.info().outputPath(`mobile-${name}.png`), fullPage: true });
    const widths = await page.evaluate(() => {
      // The elements that stick out past the viewport's right edge, for the failure message.
      const wide = [...document.querySelectorAll<HTMLElement>("body *")]
        .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
        .filter((e) => !e.closest("[data-scroll-x]"))
        .slice(0, 5)
        .map(
          (e) =>
            `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ""}.${[...e.classList].slice(0, 3).join(".")} (${Math.round(e.getBoundingClientRect().right)} px)`,
        );
      return { scrollWidth: document.documentElement.scrollWidth, wide };
    });
    expect(
      widths.scrollWidth,
      `${name} (${path}) scrolls sideways at 390 px; wide: ${widths.wide.join(", ")}`,
    ).toBeLessThanOrEqual(391);
  });
}

test("an owner's pages fit a 390 px phone without sideways scrolling", async ({ pageAs, browser }) => {
  test.setTimeout(180_000);
  const alice = await pageAs(USERS.alice);
  const vmId = await createVm(alice.request, uniqueName("phone"));
  const link = await invitationLink(alice.request);
  await fitsPhone(alice, "/realm", "realm-dashboard");
  await fitsPhone(alice, `/realm/vms/${vmId}`, "vm");
  await fitsPhone(alice, "/realm/people", "people");
  await fitsPhone(alice, "/realm/api", "api-tokens");
  await fitsPhone(alice, "/realm/audit", "realm-audit");
  await fitsPhone(alice, "/account", "account");
  await fitsPhone(alice, "/account/security", "account-security");

  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  try {
    const anonymous = await context.newPage();
    await fitsPhone(anonymous, "/signin", "sign-in");
    await fitsPhone(anonymous, link, "invitation");
  } finally {
    await context.close();
  }
});

test("the platform operator's pages fit a 390 px phone without sideways scrolling", async ({ pageAs }) => {
  test.setTimeout(180_000);
  const ops = await pageAs(USERS.ops);
  const orgId = await acmeOrgId(ops.request);
  await fitsPhone(ops, "/operator", "operator-overview");
  await fitsPhone(ops, "/operator/organizations", "operator-organizations");
  await fitsPhone(ops, `/operator/organizations/${orgId}`, "operator-organization");
  await fitsPhone(ops, "/operator/fleet", "operator-fleet");
  await fitsPhone(ops, "/operator/activity", "operator-activity");
  await fitsPhone(ops, "/operator/integrity", "operator-integrity");
  await fitsPhone(ops, "/operator/audit", "operator-audit");
});
