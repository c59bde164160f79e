import { randomBytes } from "node:crypto";
import type { Browser, Page } from "@playwright/test";
import { signInPage, expect, screenshot, STATE_TIMEOUT, test, trpcMutation, uniqueName, USERS, vmIdByName } from "./fixtures";

/**
 * A tenant's whole life in one journey, through the browser: a platform operator creates an
 * organization and watches its realm become ready (category pair, management VM placed, built,
 * running); invites the first owner, who signs up through the link, creates a VM and invites a
 * viewer; the viewer signs up and cannot act; the operator decommissions the organization with
 * the two-step confirmation, and both former members lose access at once.
 */

/** Opens an invitation link in a fresh browser and signs up as a new user. */
async function signUpThroughLink(browser: Browser, path: string, name: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(path);
  await page.locator('input[name="name"]').fill(name);
  const password = "a long enough passphrase";
  await page.locator('input[name="password"]').fill(password);
  await page.locator('input[name="confirm"]').fill(password);
  await page.getByRole("button", { name: "Create account and join" }).click();
  await page.waitForURL(/\/realm/);
  return page;
}

/** The one-time link the form just showed, as a path. */
async function shownLink(page: Page): Promise<string> {
  const link = page.getByTestId("invitation-link-value");
  await expect(link).toHaveValue(/\/invite\/[A-Za-z0-9_-]{43}$/);
  return new URL(await link.inputValue()).pathname;
}

test.describe("onboarding and offboarding", () => {
  test("the operator onboards Initech; its owner signs up, creates a VM, invites a viewer who cannot act; decommissioning ends their access", async ({
    page,
    browser,
  }) => {
    test.setTimeout(240_000);
    const suffix = randomBytes(3).toString("hex");
    const name = `Initech-${suffix}`;
    const slug = `initech-${suffix}`;
    await signInPage(page, USERS.ops);

    await page.goto("/operator");
    await page.getByTestId("operator-organizations-link").first().click();
    await expect(page).toHaveURL(/\/operator\/organizations$/);
    await expect(page.getByRole("heading", { name: "Organizations", exact: true })).toBeVisible();

    // A bad slug is refused under the slug field.
    const form = page.getByTestId("create-org-form");
    await form.getByRole("textbox", { name: "Display name" }).fill(name);
    await form.getByRole("textbox", { name: /^Slug/ }).fill("Initech Corp!");
    await form.getByRole("button", { name: "Create organization" }).click();
    await expect(form.getByRole("alert")).toContainText("slug");
    await screenshot(page, "onboarding-slug-error");

    await form.getByRole("textbox", { name: /^Slug/ }).fill(slug);
    await form.getByRole("button", { name: "Create organization" }).click();
    await expect(page.getByTestId("create-org-accepted")).toBeVisible();
    await expect(page.getByTestId(`org-row-${slug}`)).toBeVisible();
    await screenshot(page, "onboarding-list");

    await page.getByTestId("create-org-accepted").getByRole("link", { name: "Watch its progress" }).click();
    await expect(page.locator("h1")).toContainText(name);
    const orgPage = page.url();
    await expect(page.getByTestId("org-status")).toHaveText("ready", { timeout: STATE_TIMEOUT });
    await expect(page.getByTestId("org-mgmt-state")).toHaveText("running");
    await expect(page.getByTestId("org-progress")).toContainText("Management domain running");
    await expect(page.getByRole("heading", { name: "Invite the first owner", exact: true }).first()).toBeVisible();
    await screenshot(page, "onboarding-ready");

    // The first owner: invited by email, the link shown once; a fresh browser signs up through it.
    const ownerEmail = `${uniqueName("owner")}@initech.test`;
    await page.getByTestId("invite-owner-email").fill(ownerEmail);
    await page.getByRole("button", { name: "Invite owner" }).click();
    const ownerLink = await shownLink(page);
    await screenshot(page, "onboarding-owner-invited");
    const owner = await signUpThroughLink(browser, ownerLink, "Peter Gibbons");
    await expect(owner.getByTestId("realm-title")).toHaveText(name);
    await expect(owner.getByText("your role: owner")).toBeVisible();

    // The owner creates a VM through the form.
    const vmName = uniqueName("tps");
    const createForm = owner.getByTestId("create-vm-form");
    await expect(createForm.locator('select[name="templateId"] option')).not.toHaveCount(0);
    await createForm.locator('[name="name"]').fill(vmName);
    await createForm.getByRole("button", { name: "Create VM" }).click();
    await expect(owner.getByTestId(`vm-state-${vmName}`)).toHaveText("stopped", { timeout: STATE_TIMEOUT });
    await screenshot(owner, "onboarding-owner-realm");

    // The owner invites a viewer; the viewer signs up and sees the VM, but cannot act on it.
    await owner.goto("/realm/people");
    const viewerEmail = `${uniqueName("viewer")}@initech.test`;
    const inviteForm = owner.getByTestId("invite-form");
    await inviteForm.locator('input[name="email"]').fill(viewerEmail);
    await inviteForm.locator('select[name="role"]').selectOption("viewer");
    await inviteForm.getByRole("button", { name: "Invite" }).click();
    const viewerLink = await shownLink(owner);
    await screenshot(owner, "onboarding-owner-people");
    const viewer = await signUpThroughLink(browser, viewerLink, "Milton Waddams");
    await expect(viewer.getByTestId("realm-title")).toHaveText(name);
    await expect(viewer.getByText("your role: viewer")).toBeVisible();
    await expect(viewer.getByTestId(`vm-row-${vmName}`)).toBeVisible();
    await expect(viewer.getByTestId(`start-${vmName}`)).toHaveCount(0);
    const vmId = await vmIdByName(viewer.request, vmName);
    expect((await trpcMutation(viewer.request, "vm.start", { vmId })).error?.code).toBe("FORBIDDEN");
    await screenshot(viewer, "onboarding-viewer-realm");

    // Offboarding: two steps; the button waits for the slug typed exactly.
    await page.getByRole("button", { name: "Decommission…" }).click();
    const confirm = page.getByTestId("decommission-form");
    const go = confirm.getByRole("button", { name: `Decommission ${name}` });
    await confirm.locator("input[name=confirmSlug]").fill(`${slug}-typo`);
    await expect(go).toBeDisabled();
    await confirm.locator("input[name=confirmSlug]").fill(slug);
    await expect(go).toBeEnabled();
    await screenshot(page, "offboarding-confirm");
    await go.click();
    await expect(page.getByTestId("org-status")).toHaveText(/decommissioning|decommissioned/);
    await expect(page.getByTestId("org-status")).toHaveText("decommissioned", { timeout: 45_000 });
    await expect(page.getByTestId("org-decommissioned")).toContainText("retired forever");
    await expect(page.getByTestId("org-audit")).toContainText("realm.decommissioned");
    await screenshot(page, "offboarding-decommissioned");

    await page.goto("/operator/organizations");
    await expect(page.getByTestId(`org-row-${slug}`).locator("td").nth(1)).toHaveText("decommissioned");

    // The trail outlives the realm: the operator exports all of it (NDJSON); a tenant cannot.
    const orgId = /\/operator\/organizations\/([0-9a-f-]{36})/.exec(orgPage)?.[1];
    expect(orgId, "the organization page's id").toBeDefined();
    const exported = await page.request.get(`/api/operator/organizations/${orgId}/audit`);
    expect(exported.status()).toBe(200);
    expect(exported.headers()["content-type"]).toContain("application/x-ndjson");
    const records = (await exported.text()).trim().split("\n").map((line) => JSON.parse(line) as { action: string });
    for (const action of ["realm.create", "realm.decommissioned"]) expect(records.map((r) => r.action)).toContain(action);
    expect((await viewer.request.get(`/api/operator/organizations/${orgId}/audit`)).status()).toBe(404);

    // The former members: their next request finds no realm.
    for (const former of [owner, viewer]) {
      await former.goto("/realm");
      await expect(former.getByTestId("no-membership")).toBeVisible();
      expect((await trpcMutation(former.request, "vm.start", { vmId })).error?.code).toBe("NOT_FOUND");
    }
    await screenshot(viewer, "offboarding-former-member");
  });
});
