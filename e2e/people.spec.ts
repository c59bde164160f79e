import type { Page } from "@playwright/test";
import { expect, screenshot, test, uniqueName, USERS } from "./fixtures";

/**
 * Invitations and people (components/people/*, app/invite/[token]): an owner invites by email,
 * the link is shown once, a person who has no account opens it in a fresh browser, signs up and
 * lands in the realm with the invited role; the owner changes the role and removes the member,
 * whose next page load shows no realm. Links that are wrong or revoked say so, naming no
 * organization.
 */

async function invite(alice: Page, email: string, role: "owner" | "admin" | "operator" | "viewer"): Promise<string> {
  const form = alice.getByTestId("invite-form");
  await form.locator('input[name="email"]').fill(email);
  await form.locator('select[name="role"]').selectOption(role);
  await form.getByRole("button", { name: "Invite" }).click();
  const link = alice.getByTestId("invitation-link-value");
  await expect(link).toHaveValue(/\/invite\/[A-Za-z0-9_-]{43}$/);
  const value = await link.inputValue();
  await alice.getByTestId("invitation-link").getByRole("button", { name: "Done" }).click();
  return new URL(value).pathname;
}

test.describe("people", () => {
  test("alice invites a viewer, who signs up through the link; alice changes the role and removes them", async ({ pageAs, browser }) => {
    const alice = await pageAs(USERS.alice);
    alice.on("dialog", (dialog) => void dialog.accept());
    await alice.goto("/realm/people");
    await expect(alice.getByTestId(`member-row-${USERS.alice}`)).toBeVisible();
    await expect(alice.getByTestId("role-help")).toContainText("VM operator");

    const email = `${uniqueName("invitee")}@newcomer.test`;
    const path = await invite(alice, email, "viewer");
    await expect(alice.getByTestId(`invitation-row-${email}`)).toContainText("Viewer");
    await screenshot(alice, "people-page");

    // A fresh browser (no session) opens the link.
    const context = await browser.newContext();
    const newcomer = await context.newPage();
    await newcomer.goto(path);
    await expect(newcomer.getByRole("heading", { name: "Join Acme Corp on Realmgate" })).toBeVisible();
    await expect(newcomer.getByTestId("invite-summary")).toContainText("Viewer");
    await screenshot(newcomer, "invite-page");

    // The strength rule, with a clear message; then a good password.
    await newcomer.locator('input[name="name"]').fill("Nina Newcomer");
    await newcomer.locator('input[name="password"]').fill("too-short");
    await newcomer.locator('input[name="confirm"]').fill("too-short");
    await newcomer.getByRole("button", { name: "Create account and join" }).click();
    await expect(newcomer.getByTestId("password-error")).toHaveText("the new password must have at least 12 characters");
    const password = "a long enough passphrase";
    await newcomer.locator('input[name="password"]').fill(password);
    await newcomer.locator('input[name="confirm"]').fill(password);
    await newcomer.getByRole("button", { name: "Create account and join" }).click();

    // Signed in, in Acme's realm, read-only.
    await newcomer.waitForURL(/\/realm/);
    await expect(newcomer.getByText("your role: viewer")).toBeVisible();
    await expect(newcomer.getByRole("heading", { name: "Create a VM" })).toHaveCount(0);
    await newcomer.goto("/realm/people");
    await expect(newcomer.getByTestId(`member-row-${email}`)).toBeVisible();
    await expect(newcomer.getByTestId("invite-form")).toHaveCount(0);
    await expect(newcomer.getByTestId("invitations-table")).toHaveCount(0);

    // The link works once.
    await newcomer.goto(path);
    await expect(newcomer.getByTestId("invite-problem")).toHaveText(/already been used/);

    // alice makes them a VM operator: their next page load shows it.
    await alice.reload();
    await expect(alice.getByTestId(`invitation-row-${email}`)).toHaveCount(0);
    await alice.getByTestId(`member-role-${email}`).selectOption("operator");
    await expect(alice.getByTestId(`member-role-${email}`)).toHaveValue("operator");
    await newcomer.goto("/realm");
    await expect(newcomer.getByText("your role: VM operator")).toBeVisible();

    // alice removes them: their next page load shows no realm.
    await alice.getByTestId(`member-row-${email}`).getByRole("button", { name: "Remove" }).click();
    await expect(alice.getByTestId(`member-row-${email}`)).toHaveCount(0);
    await newcomer.goto("/realm");
    await expect(newcomer.getByTestId("no-membership")).toBeVisible();
    await screenshot(newcomer, "people-removed-member");
    await context.close();
  });

  test("the last owner cannot be demoted or removed, and the page says why", async ({ pageAs }) => {
    const alice = await pageAs(USERS.alice);
    await alice.goto("/realm/people");
    await alice.getByTestId(`member-role-${USERS.alice}`).selectOption("admin");
    await expect(alice.getByTestId("members-error")).toHaveText("the last owner cannot be demoted: make another member an owner first");
    await alice.reload();
    await expect(alice.getByTestId(`member-role-${USERS.alice}`)).toHaveValue("owner");
  });

  test("a wrong link and a revoked link each get one plain message naming no organization", async ({ pageAs, browser }) => {
    const alice = await pageAs(USERS.alice);
    await alice.goto("/realm/people");
    const email = `${uniqueName("revoked")}@newcomer.test`;
    const path = await invite(alice, email, "operator");
    await alice.getByTestId(`invitation-row-${email}`).getByRole("button", { name: "Revoke" }).click();
    await expect(alice.getByTestId(`invitation-row-${email}`)).toHaveCount(0);

    const context = await browser.newContext();
    const stranger = await context.newPage();
    for (const [url, message] of [
      [path, /withdrawn/],
      [`${path.slice(0, -4)}AAAA`, /not valid/],
      ["/invite/not-a-token", /not valid/],
    ] as const) {
      await stranger.goto(url);
      await expect(stranger.getByTestId("invite-problem")).toHaveText(message);
      await expect(stranger.getByTestId("invite-page")).not.toContainText("Acme");
    }
    await screenshot(stranger, "invite-page-invalid");
    await context.close();
  });
});
