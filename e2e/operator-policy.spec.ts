import { readFileSync } from "node:fs";
import { signInPage, expect, screenshot, STATE_TIMEOUT, test, uniqueName, USERS } from "./fixtures";

/**
 * The fleet's FLASK policy (components/operator/flask-policy.tsx, issue 15 part 2): ops uploads a
 * policy that does not compile and sees why (file and line), uploads a good one and sees it pass
 * every check, loads it on a canary host and reads the decisions that changed there, rolls it
 * out to every host (each reports the new hash), then rolls back in one action, leaving the
 * demo fleet as it found it. Only operators see the page.
 */

const realmTe = readFileSync("server/xsm/policy/realm.te", "utf8");
const file = (name: string, text: string) => ({ name, mimeType: "text/plain", buffer: Buffer.from(text) });

test("ops uploads a policy, sees its validation, canaries it, rolls it out and back", async ({ page }) => {
  test.setTimeout(180_000);
  await signInPage(page, USERS.ops);
  await page.goto("/operator");
  await page.getByRole("main").getByTestId("operator-policy-link").click();
  await expect(page).toHaveURL(/\/operator\/policy$/);
  await expect(page.getByRole("heading", { name: "FLASK policy" })).toBeVisible();
  const main = page.getByRole("main");
  // Every demo host reports the hash of what it runs.
  for (const host of ["xen-a", "xen-b"]) await expect(main.getByTestId(`policy-host-${host}-sha`)).toHaveText(/^[0-9a-f]{12}/, { timeout: STATE_TIMEOUT });

  // A typo: stored as refused, the reason naming the file and the line.
  const typo = realmTe.replace("bool realm_mgmt_debug false;", `bool realm_mgmt_debug false;\n# ${uniqueName("typo")}\nallow realm_mgmt_t no_such_t : domain pause;`);
  const typoLine = typo.split("\n").findIndex((l) => l.includes("no_such_t")) + 1;
  await main.getByTestId("policy-file").setInputFiles(file("typo.te", typo));
  await main.getByRole("button", { name: "Upload and validate" }).click();
  const versions = main.getByTestId("policy-versions");
  await expect(versions.getByText(`typo.te:${typoLine}: unknown type 'no_such_t'`)).toBeVisible();

  // A good one: management domains may also read their own HVM parameters.
  const good = `${realmTe}\n# ${uniqueName("policy")}\nallow realm_mgmt_t self : hvm getparam;\n`;
  await main.getByTestId("policy-file").setInputFiles(file("realm-v2.te", good));
  await main.getByRole("button", { name: "Upload and validate" }).click();
  const row = versions.locator("tr", { hasText: "realm-v2.te" });
  await expect(row.getByText("✓ No realm loses access to its own VMs")).toBeVisible();
  for (const check of ["✓ Compiles", "✓ Declares what the realm model needs", "✓ Passes the golden decisions"]) await expect(row.getByText(check)).toBeVisible();
  await expect(row.getByTestId("policy-diff")).toContainText("permissions +1/−0");
  await screenshot(page, "operator-policy-validated");

  // Canary on xen-a: the host loads it and compares its decisions old vs new.
  await row.getByRole("combobox").selectOption({ label: "xen-a" });
  await row.getByRole("button", { name: "Load on canary" }).click();
  const rollout = main.getByTestId("policy-rollout");
  await expect(rollout.getByTestId("policy-canary-result")).toContainText(/Canary xen-a: loaded; \d+ of \d+ compared decisions differ/, { timeout: STATE_TIMEOUT });
  await expect(rollout.getByTestId("policy-rollout-status")).toHaveText("canary");
  await expect(main.getByTestId("policy-host-xen-b-state")).toHaveText("loaded");
  await screenshot(page, "operator-policy-canary");

  // Then every host.
  await rollout.getByRole("button", { name: "Roll out to every host" }).click();
  await expect(rollout.getByTestId("policy-rollout-status")).toHaveText("complete", { timeout: STATE_TIMEOUT });
  const sha = await main.getByTestId("policy-host-xen-a-sha").textContent();
  await expect(main.getByTestId("policy-host-xen-b-sha")).toHaveText(sha!, { timeout: STATE_TIMEOUT });
  await expect(main.getByTestId("policy-drift-alarm")).toHaveCount(0);
  await screenshot(page, "operator-policy-rolled-out");

  // Rollback is one action: every host back on the previous version.
  await rollout.getByRole("button", { name: /^Roll back to version \d+$/ }).click();
  await expect(main.getByRole("heading", { name: "Rollback" })).toBeVisible();
  await expect(rollout.getByTestId("policy-rollout-status")).toHaveText("complete", { timeout: STATE_TIMEOUT });
  await expect(main.getByTestId("policy-host-xen-a-sha")).not.toHaveText(sha!);
});

test("alice (an organization owner, not an operator) gets not-found", async ({ pageAs }) => {
  const alice = await pageAs(USERS.alice);
  const response = await alice.goto("/operator/policy");
  expect(response?.status()).toBe(404);
});
