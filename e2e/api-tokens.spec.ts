import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, listVms, ok, screenshot, test, trpcAllPages, trpcMutation, uniqueName, USERS } from "./fixtures";

/**
 * API tokens from the console (app/realm/api, components/api/*): an owner creates a scoped token,
 * sees its secret once, the CLI (package.json "bin") works with it until the owner revokes it in
 * the UI, then gets the 401. A viewer is offered only read permissions. The API reference
 * (/api-reference) renders the OpenAPI document with Scalar served from this origin, under the
 * page CSP, with no request leaving the origin. Operators revoke any organization's token with
 * a reason.
 */

const ROOT = path.resolve(import.meta.dirname, "..");
const CLI = path.join(ROOT, "scripts", "realmgate-cli.mjs");
const BASE_URL = "http://localhost:3100";
const TOKEN_SHAPE = /^rgt_[a-z2-7]{16}_[A-Za-z0-9]{32}$/;

type CliResult = { code: number; stdout: string; stderr: string };

/** The CLI as a user runs it: its own process, the token in the environment, a fresh config dir. */
function runCli(token: string, args: string[]): Promise<CliResult> {
  const configHome = mkdtempSync(path.join(tmpdir(), "realmgate-cli-e2e-"));
  const env = { NODE_ENV: "production" as const, PATH: process.env.PATH ?? "", HOME: configHome, XDG_CONFIG_HOME: configHome, REALMGATE_URL: BASE_URL, REALMGATE_TOKEN: token, NO_COLOR: "1" };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"], timeout: 60_000 });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      rmSync(configHome, { recursive: true, force: true });
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

/** CSP violations a page reports, and every request that left this origin. */
async function watchPage(page: Page): Promise<{ violations: string[]; foreign: string[] }> {
  const violations: string[] = [];
  const foreign: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (!["data:", "blob:"].includes(url.protocol) && url.origin !== BASE_URL) foreign.push(request.url());
  });
  await page.exposeFunction("__reportCspViolation", (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      (window as unknown as { __reportCspViolation: (t: string) => void }).__reportCspViolation(`${event.violatedDirective} blocked ${event.blockedURI}`);
    });
  });
  return { violations, foreign };
}

/** WCAG 2 A/AA violations axe finds on the page's main content, as "rule: target" lines. */
async function accessibilityViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).include("main").withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(" ")}`));
}

async function offeredPermissions(page: Page): Promise<string[]> {
  const boxes = page.getByTestId("token-permissions").getByRole("checkbox");
  await expect(boxes.first()).toBeVisible();
  return boxes.evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value));
}

test.describe("API tokens", () => {
  test("alice creates a scoped token, sees it once, the CLI uses it; after she revokes it the CLI gets a 401", async ({ pageAs }) => {
    test.setTimeout(180_000);
    const alice = await pageAs(USERS.alice);
    alice.on("dialog", (dialog) => void dialog.accept());
    const watched = await watchPage(alice);
    await alice.goto("/realm");
    await alice.getByRole("banner").getByRole("link", { name: "API", exact: true }).click();
    await alice.waitForURL(/\/realm\/api/);
    await expect(alice.getByRole("heading", { name: "API", exact: true })).toBeVisible();

    // Owners are offered every permission they hold; read-only ones come preselected.
    const offered = await offeredPermissions(alice);
    expect(offered).toEqual(expect.arrayContaining(["vm.read", "vm.create", "vm.destroy", "realm.tokens.manage"]));
    const form = alice.getByTestId("create-token-form");
    await expect(form.getByRole("checkbox", { name: /^vm\.read/ })).toBeChecked();
    await expect(form.getByRole("checkbox", { name: /^vm\.destroy/ })).not.toBeChecked();

    // Field errors from the server land beside their field.
    await form.getByRole("textbox", { name: /^Name/ }).fill("bad/name");
    await form.getByRole("button", { name: "Create token" }).click();
    // In words (components/ui/wording.ts): the field's label, not its API name.
    await expect(alice.getByTestId("token-name-error")).toContainText("Name must start with a letter or digit");
    await expect(form.getByRole("textbox", { name: /^Name/ })).toHaveAttribute("aria-invalid", "true");

    const name = uniqueName("cli");
    const wanted = new Set(["vm.read", "vm.start", "vm.stop"]);
    await form.getByRole("textbox", { name: /^Name/ }).fill(name);
    // realm.read comes with every token (checked, not editable).
    await expect(form.getByRole("checkbox", { name: /^realm\.read/ })).toBeDisabled();
    for (const permission of offered.filter((p) => p !== "realm.read")) {
      await form.locator(`input[type="checkbox"][value="${permission}"]`).setChecked(wanted.has(permission));
    }
    await form.getByLabel("Expires").selectOption("30");
    await form.getByRole("button", { name: "Create token" }).click();

    const box = alice.getByTestId("token-secret-box");
    await expect(box).toContainText("you will not see it again");
    const secret = (await alice.getByTestId("token-secret").textContent())?.trim() ?? "";
    expect(secret).toMatch(TOKEN_SHAPE);
    // The form is ready for the next token.
    await expect(form.getByRole("textbox", { name: /^Name/ })).toHaveValue("");
    await expect(form.getByRole("checkbox", { name: /^vm\.start/ })).not.toBeChecked();

    const lookupId = secret.split("_")[1]!;
    const row = alice.getByTestId("tokens-table").getByTestId(`token-row-${name}`);
    await expect(row).toContainText(`rgt_${lookupId}_…`);
    await expect(row).toContainText("realm.read, vm.read, vm.start, vm.stop");
    await expect(row).toContainText("never");
    await expect(alice.getByTestId(`token-status-${name}`).first()).toHaveText("active");
    // Owners also see every member's tokens, with whose they are.
    await expect(alice.getByTestId("all-tokens-table").getByTestId(`token-row-${name}`)).toContainText(USERS.alice);
    await expect(alice.getByTestId("curl-example")).toContainText(`curl -H "Authorization: Bearer $REALMGATE_TOKEN" ${BASE_URL}/api/v1/vms`);
    await expect(alice.getByTestId("curl-example")).toContainText("/start?wait=30");
    await expect(alice.getByTestId("cli-example")).toContainText("npx realmgate vm ls");
    await expect(alice.getByRole("link", { name: "API reference" })).toHaveAttribute("href", "/api-reference");
    await screenshot(alice, "api-page-token-created");
    expect(await accessibilityViolations(alice)).toEqual([]);

    // Shown once: a reload has no trace of it.
    await alice.reload();
    await expect(alice.getByTestId("tokens-table").getByTestId(`token-row-${name}`)).toBeVisible();
    await expect(alice.getByTestId("token-secret-box")).toHaveCount(0);
    expect(await alice.content()).not.toContain(secret);

    // The CLI, with the token: Acme's VMs, the same the console lists. Other tests create and
    // destroy Acme VMs meanwhile, so the console is read before and after: the CLI lists every VM
    // both reads show, and nothing neither shows.
    const consoleBefore = new Set((await listVms(alice.request)).map((v) => v.name));
    const listed = await runCli(secret, ["vm", "ls", "--json"]);
    expect(listed.code, listed.stderr).toBe(0);
    const consoleAfter = new Set((await listVms(alice.request)).map((v) => v.name));
    const cliNames = ((JSON.parse(listed.stdout) as { items: { name: string }[] }).items ?? []).map((v) => v.name);
    expect(cliNames.length).toBeGreaterThan(0);
    expect(cliNames.filter((n) => !consoleBefore.has(n) && !consoleAfter.has(n))).toEqual([]);
    expect([...consoleBefore].filter((n) => consoleAfter.has(n) && !cliNames.includes(n))).toEqual([]);
    expect(cliNames).toEqual(expect.arrayContaining(["web-1"]));

    // Its use is recorded (time and address).
    await alice.reload();
    await expect(alice.getByTestId("tokens-table").getByTestId(`token-row-${name}`)).not.toContainText("never");

    // Revoked in the UI (confirmed): the CLI is refused with the 401's message.
    await alice.getByTestId("tokens-table").getByRole("button", { name: `Revoke ${name}` }).click();
    await expect(alice.getByTestId("tokens-table").getByTestId(`token-status-${name}`)).toHaveText("revoked");
    const refused = await runCli(secret, ["vm", "ls", "--json"]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("invalid API token: it does not exist or was revoked");

    expect(watched.violations).toEqual([]);
    expect(watched.foreign).toEqual([]);
  });

  test("a viewer is offered read permissions only, and no one else's tokens", async ({ pageAs }) => {
    const victor = await pageAs(USERS.victor);
    await victor.goto("/realm/api");
    expect((await offeredPermissions(victor)).sort()).toEqual(["realm.members.read", "realm.read", "vm.read"]);
    for (const box of await victor.getByTestId("token-permissions").getByRole("checkbox").all()) await expect(box).toBeChecked();
    await expect(victor.getByRole("heading", { name: "All members' tokens" })).toHaveCount(0);
    // The server holds the line too: a permission beyond the role is refused, naming the field.
    const refused = await trpcMutation(victor.request, "token.create", { name: uniqueName("viewer"), permissions: ["vm.start"], expiresInDays: 7 });
    expect(refused.error?.fieldErrors?.permissions?.[0]).toContain("does not hold vm.start");
    await screenshot(victor, "api-page-viewer");
    expect(await accessibilityViolations(victor)).toEqual([]);
  });

  test("the API reference renders the OpenAPI document from this origin, under the page CSP", async ({ page }) => {
    const watched = await watchPage(page);
    const script = await page.request.get("/api-reference/scalar.js?v=check");
    expect(script.status()).toBe(200);
    expect(script.headers()["content-type"]).toContain("javascript");
    expect(script.headers()["cache-control"]).toContain("immutable");

    await page.goto("/api-reference");
    const reference = page.getByTestId("api-reference");
    await expect(reference.getByRole("heading", { name: "Realmgate API" })).toBeVisible({ timeout: 30_000 });
    // The endpoints, grouped by tag in the sidebar.
    await reference.getByRole("button", { name: "Open Group - VMs" }).click();
    await expect(reference.getByRole("link", { name: /List the realm's VMs/ })).toBeVisible();
    await reference.getByRole("button", { name: "Open Group - API tokens" }).click();
    await expect(reference.getByRole("link", { name: /Create an API token/ })).toBeVisible();
    await page.waitForLoadState("networkidle");
    await screenshot(page, "api-reference");
    expect(watched.violations).toEqual([]);
    expect(watched.foreign).toEqual([]);
  });

  test("an operator revokes an organization's token with a reason", async ({ pageAs }) => {
    test.setTimeout(120_000);
    const alice = await pageAs(USERS.alice);
    const name = uniqueName("leaked");
    const created = ok(await trpcMutation<{ id: string; lookupId: string }>(alice.request, "token.create", { name, permissions: ["vm.read"], expiresInDays: 7 }));

    const ops = await pageAs(USERS.ops);
    const orgs = await trpcAllPages<{ id: string; slug: string }>(ops.request, "operator.organizations.list");
    const acme = orgs.find((o) => o.slug === "acme");
    expect(acme).toBeDefined();
    await ops.goto(`/operator/organizations/${acme!.id}`);
    const row = ops.getByTestId(`org-token-${created.lookupId}`);
    await expect(row).toContainText(name);
    await expect(row).toContainText(USERS.alice);
    await row.getByRole("button", { name: `Revoke ${name} of ${USERS.alice}` }).click();
    await row.getByLabel(`Why revoke “${name}”?`).fill("reported leaked in a public repository");
    await row.getByRole("button", { name: "Revoke", exact: true }).click();
    await expect(row).toContainText("revoked");
    await screenshot(ops, "operator-org-tokens");

    // Alice sees it revoked, with the reason on hover.
    await alice.goto("/realm/api");
    await expect(alice.getByTestId("tokens-table").getByTestId(`token-status-${name}`)).toHaveText("revoked");
  });
});
