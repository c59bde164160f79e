import { randomUUID } from "node:crypto";
import type { Page } from "@playwright/test";
import { expect, ok, screenshot, STATE_TIMEOUT, test, trpcMutation, trpcQuery, USERS, vmIdByName } from "./fixtures";

type History = { action: string; requestedBy: string }[];

/** The not-found page as a person sees it: status, heading and all visible text. */
async function notFoundPage(page: Page, url: string): Promise<{ status: number | undefined; text: string }> {
  const response = await page.goto(url);
  await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
  await expect(page.getByTestId("vm-title")).toHaveCount(0);
  return { status: response?.status(), text: await page.locator("body").innerText() };
}

test.describe("realm isolation", () => {
  test("alice cannot see or act on bob's db-1, and it looks exactly like a missing VM", async ({ pageAs }) => {
    const [alice, bob] = await Promise.all([pageAs(USERS.alice), pageAs(USERS.bob)]);

    // Side by side: each sees only its own realm.
    await Promise.all([alice.goto("/realm"), bob.goto("/realm")]);
    await expect(alice.getByTestId("realm-title")).toHaveText("Acme Corp");
    await expect(bob.getByTestId("realm-title")).toHaveText("Globex");
    await expect(alice.getByTestId("vm-row-web-1")).toBeVisible();
    await expect(bob.getByTestId("vm-row-db-1")).toBeVisible();
    await expect(alice.getByTestId("vm-row-db-1")).toHaveCount(0);
    await expect(bob.getByTestId("vm-row-web-1")).toHaveCount(0);
    await expect(alice.getByTestId("mgmt-vm-state")).toHaveText("running", { timeout: STATE_TIMEOUT });
    await expect(bob.getByTestId("mgmt-vm-state")).toHaveText("running", { timeout: STATE_TIMEOUT });
    const aliceCategory = await alice.getByTestId("realm-category").innerText();
    const bobCategory = await bob.getByTestId("realm-category").innerText();
    expect(aliceCategory).toMatch(/^s0:c\d+,c\d+$/);
    expect(bobCategory).toMatch(/^s0:c\d+,c\d+$/);
    expect(aliceCategory).not.toBe(bobCategory);
    await screenshot(alice, "isolation-alice-realm");
    await screenshot(bob, "isolation-bob-realm");

    const db1 = await vmIdByName(bob.request, "db-1");
    expect((await trpcQuery<{ items: { name: string }[] }>(alice.request, "vm.list")).data?.items.map((vm) => vm.name)).not.toContain(
      "db-1",
    );

    // Pages: bob's VM, a random id and a malformed id are the same not-found page.
    const foreign = await notFoundPage(alice, `/realm/vms/${db1}`);
    await screenshot(alice, "isolation-alice-foreign-vm");
    const missing = await notFoundPage(alice, `/realm/vms/${randomUUID()}`);
    const malformed = await notFoundPage(alice, "/realm/vms/not-a-uuid");
    expect(foreign.status).toBe(404);
    expect(missing).toEqual(foreign);
    expect(malformed).toEqual(foreign);

    // API: vm.get / vm.history / vm.start on db-1 answer exactly as for a random id.
    const random = randomUUID();
    for (const [path, call] of [
      ["vm.get", (vmId: string) => trpcQuery(alice.request, "vm.get", { vmId })],
      ["vm.history", (vmId: string) => trpcQuery(alice.request, "vm.history", { vmId })],
      ["vm.start", (vmId: string) => trpcMutation(alice.request, "vm.start", { vmId })],
      ["vm.stop", (vmId: string) => trpcMutation(alice.request, "vm.stop", { vmId })],
      ["vm.destroy", (vmId: string) => trpcMutation(alice.request, "vm.destroy", { vmId })],
    ] as const) {
      const onForeign = await call(db1);
      const onRandom = await call(random);
      expect(onForeign.error?.code, `${path} on db-1`).toBe("NOT_FOUND");
      expect(onForeign.status).toBe(404);
      expect(onForeign.error?.message).toBe("VM not found");
      expect({ status: onRandom.status, error: onRandom.error }, `${path}: db-1 vs random id`).toEqual({
        status: onForeign.status,
        error: onForeign.error,
      });
    }

    // Nothing happened to db-1: still there for bob, with no operation from alice.
    const history = ok(await trpcQuery<{ items: History }>(bob.request, "vm.history", { vmId: db1 })).items;
    expect(history.map((op) => op.action)).toEqual(["create"]);
    expect(history.map((op) => op.requestedBy)).not.toContain("Alice Admin");
    await bob.goto(`/realm/vms/${db1}`);
    await expect(bob.getByTestId("vm-title")).toContainText("db-1");
    await screenshot(bob, "isolation-bob-db-1");

    // Not over-blocked: alice still opens her own web-1.
    await alice.goto("/realm");
    await alice.getByTestId("vm-row-web-1").getByRole("link", { name: "web-1" }).click();
    await expect(alice).toHaveURL(new RegExp(`/realm/vms/${await vmIdByName(alice.request, "web-1")}$`));
    await expect(alice.getByTestId("vm-title")).toContainText("web-1");
    await expect(alice.getByTestId("vm-history")).toBeVisible();
    await screenshot(alice, "isolation-alice-web-1");
  });

  test("bob cannot see alice's web-1 either", async ({ pageAs }) => {
    const [alice, bob] = await Promise.all([pageAs(USERS.alice), pageAs(USERS.bob)]);
    const web1 = await vmIdByName(alice.request, "web-1");
    await bob.goto(`/realm/vms/${web1}`);
    await expect(bob.getByRole("heading", { name: "Not found" })).toBeVisible();
    const get = await trpcQuery(bob.request, "vm.get", { vmId: web1 });
    expect(get.error?.code).toBe("NOT_FOUND");
    expect(get.error?.message).toBe("VM not found");
  });
});
