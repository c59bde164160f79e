import type { Locator, Page } from "@playwright/test";
import {
  apiSignIn,
  createVm,
  expect,
  listAll,
  ok,
  screenshot,
  STATE_TIMEOUT,
  test,
  trpcMutation,
  trpcQuery,
  uniqueName,
  USERS,
  vmIdByName,
  type Template,
} from "./fixtures";

/** The alert(s) under one field of the create form. */
function fieldErrors(page: Page, field: "name" | "memoryMb" | "vcpus"): Locator {
  return page
    .getByTestId("create-vm-form")
    .locator("label", { has: page.locator(`[name="${field}"]`) })
    .getByRole("alert");
}

async function fillCreateForm(
  page: Page,
  values: { name: string; memoryMb?: string; vcpus?: string; template?: string },
) {
  const form = page.getByTestId("create-vm-form");
  await form.locator('[name="name"]').fill(values.name);
  await form.locator('[name="memoryMb"]').fill(values.memoryMb ?? "");
  await form.locator('[name="vcpus"]').fill(values.vcpus ?? "");
  if (values.template) {
    const select = form.locator('select[name="templateId"]');
    const value = await select.locator("option", { hasText: `${values.template} (` }).getAttribute("value");
    await select.selectOption(value!);
  }
}

test.describe("VM lifecycle", () => {
  test("alice: invalid input shows field errors; create → start → stop live; history shows who did what", async ({
    page,
  }) => {
    await apiSignIn(page.request, USERS.alice);
    await page.goto("/realm");
    await expect(page.getByTestId("realm-title")).toHaveText("Acme Corp");
    const form = page.getByTestId("create-vm-form");
    await expect(form).toBeVisible();
    const submit = form.getByRole("button", { name: "Create VM" });
    // Templates are loaded (the button is disabled until one is selected).
    await expect(form.locator('select[name="templateId"] option')).not.toHaveCount(0);

    // Bad name.
    await fillCreateForm(page, { name: "Bad Name" });
    await submit.click();
    await expect(fieldErrors(page, "name")).toHaveText(/^Name must start with a letter/);
    await expect(form.getByRole("alert")).toHaveCount(1);
    await screenshot(page, "lifecycle-bad-name");

    // Bad memory.
    await fillCreateForm(page, { name: uniqueName("bad-mem"), memoryMb: "1" });
    await submit.click();
    await expect(fieldErrors(page, "memoryMb")).toHaveText("Memory must be at least 128 MiB");
    await expect(form.getByRole("alert")).toHaveCount(1);

    // Bad vCPUs (too few, then too many).
    await fillCreateForm(page, { name: uniqueName("bad-cpu"), vcpus: "0" });
    await submit.click();
    await expect(fieldErrors(page, "vcpus")).toHaveText("vCPUs must be at least 1");
    await expect(form.getByRole("alert")).toHaveCount(1);
    await fillCreateForm(page, { name: uniqueName("bad-cpu"), vcpus: "65" });
    await submit.click();
    await expect(fieldErrors(page, "vcpus")).toHaveText("vCPUs must be at most 64");

    // All three at once: each error under its own field.
    await fillCreateForm(page, { name: "1vm", memoryMb: "1", vcpus: "0" });
    await submit.click();
    await expect(fieldErrors(page, "name")).toHaveText(/^Name must start with a letter/);
    await expect(fieldErrors(page, "memoryMb")).toHaveText("Memory must be at least 128 MiB");
    await expect(fieldErrors(page, "vcpus")).toHaveText("vCPUs must be at least 1");
    await screenshot(page, "lifecycle-field-errors");

    // A valid VM from a template.
    const name = uniqueName("e2e-life");
    await fillCreateForm(page, { name, template: "alpine-3-tiny" });
    await submit.click();
    await expect(form.getByTestId("create-vm-accepted")).toBeVisible();
    await expect(form.getByRole("alert")).toHaveCount(0);
    const row = page.getByTestId(`vm-row-${name}`);
    await expect(row).toBeVisible();
    await expect(row).toContainText("alpine-3-tiny");
    await expect(row).toContainText("1 vCPU · 256 MiB");
    const state = page.getByTestId(`vm-state-${name}`);
    await expect(state).toHaveText("stopped", { timeout: STATE_TIMEOUT });
    await screenshot(page, "lifecycle-created");

    // Start and stop; state changes arrive live (no reload).
    await page.getByTestId(`start-${name}`).click();
    await expect(state).toHaveText("running", { timeout: STATE_TIMEOUT });
    await expect(page.getByTestId(`stop-${name}`)).toBeVisible();
    await screenshot(page, "lifecycle-running");
    await page.getByTestId(`stop-${name}`).click();
    await expect(state).toHaveText("stopped", { timeout: STATE_TIMEOUT });
    await expect(page.getByTestId(`start-${name}`)).toBeVisible();

    // The detail page: title, state, history (who, what, result).
    await row.getByRole("link", { name }).click();
    await expect(page).toHaveURL(/\/realm\/vms\/[0-9a-f-]{36}$/);
    await expect(page.getByTestId("vm-title")).toContainText(name);
    await expect(page.getByTestId("vm-state")).toHaveText("stopped");
    const history = page.getByTestId("vm-history").locator("tbody tr");
    await expect(history).toHaveCount(3);
    for (const action of ["create", "start", "stop"]) {
      const entry = history.filter({ has: page.locator("td:nth-child(3)", { hasText: new RegExp(`^${action}$`) }) });
      await expect(entry).toHaveCount(1);
      await expect(entry.locator("td:nth-child(2)")).toHaveText("Alice Admin");
      await expect(entry.locator("td:nth-child(4)")).toHaveText("succeeded");
    }
    await screenshot(page, "lifecycle-detail-history");

    // Destroy (asks first), then it is gone for good.
    page.once("dialog", (dialog) => {
      expect(dialog.type()).toBe("confirm");
      expect(dialog.message()).toContain(name);
      void dialog.accept();
    });
    await page.getByTestId(`destroy-${name}`).click();
    await expect(page.getByTestId("vm-state")).toHaveText("destroyed", { timeout: STATE_TIMEOUT });
    await expect(history).toHaveCount(4);
    const destroyEntry = history.filter({ has: page.locator("td:nth-child(3)", { hasText: /^destroy$/ }) });
    await expect(destroyEntry.locator("td:nth-child(4)")).toHaveText("succeeded", { timeout: STATE_TIMEOUT });
    await screenshot(page, "lifecycle-destroyed");
    await page.getByRole("link", { name: "← All VMs" }).click();
    await expect(page.getByTestId("vm-row-web-1")).toBeVisible();
    await expect(page.getByTestId(`vm-row-${name}`)).toHaveCount(0);
  });

  test("olivia (operator role): no create form, but can start and stop", async ({ page, pageAs }) => {
    const alice = await pageAs(USERS.alice);
    const name = uniqueName("e2e-olivia");
    await createVm(alice.request, name);

    await apiSignIn(page.request, USERS.olivia);
    await page.goto("/realm");
    await expect(page.getByTestId("realm-title")).toHaveText("Acme Corp");
    await expect(page.getByText("your role: VM operator")).toBeVisible();
    const state = page.getByTestId(`vm-state-${name}`);
    await expect(state).toHaveText("stopped");
    await expect(page.getByTestId("create-vm-form")).toHaveCount(0);

    await page.getByTestId(`start-${name}`).click();
    await expect(state).toHaveText("running", { timeout: STATE_TIMEOUT });
    await screenshot(page, "lifecycle-olivia-running");
    await page.getByTestId(`stop-${name}`).click();
    await expect(state).toHaveText("stopped", { timeout: STATE_TIMEOUT });

    // No destroy for the operator role: not offered, and refused by the API.
    await page.getByTestId(`vm-row-${name}`).getByRole("link", { name }).click();
    await expect(page.getByTestId("vm-title")).toContainText(name);
    const vmId = await vmIdByName(page.request, name);
    const destroy = await trpcMutation(page.request, "vm.destroy", { vmId });
    expect(destroy.error?.code).toBe("FORBIDDEN");
    const templates = await listAll<Template>(page.request, "template.list");
    const create = await trpcMutation(page.request, "vm.create", {
      name: uniqueName("e2e-nope"),
      templateId: templates[0]!.id,
    });
    expect(create.error?.code).toBe("FORBIDDEN");
  });

  test("victor (viewer): sees the realm's VMs, no create form; vm.start/stop are FORBIDDEN", async ({
    page,
    pageAs,
  }) => {
    const alice = await pageAs(USERS.alice);
    const name = uniqueName("e2e-victor");
    await createVm(alice.request, name);

    await apiSignIn(page.request, USERS.victor);
    await page.goto("/realm");
    await expect(page.getByTestId("realm-title")).toHaveText("Acme Corp");
    await expect(page.getByText("your role: viewer")).toBeVisible();
    await expect(page.getByTestId(`vm-state-${name}`)).toHaveText("stopped");
    await expect(page.getByTestId("create-vm-form")).toHaveCount(0);
    await screenshot(page, "lifecycle-victor");

    const vmId = await vmIdByName(page.request, name);
    const start = await trpcMutation(page.request, "vm.start", { vmId });
    expect(start.status).toBe(403);
    expect(start.error?.code).toBe("FORBIDDEN");
    expect(start.error?.message).toBe("your role (viewer) does not allow vm.start");
    const stop = await trpcMutation(page.request, "vm.stop", { vmId });
    expect(stop.error?.code).toBe("FORBIDDEN");
    // The refused calls changed nothing.
    await expect(page.getByTestId(`vm-state-${name}`)).toHaveText("stopped");
    const history = ok(await trpcQuery<{ items: { action: string }[] }>(page.request, "vm.history", { vmId })).items;
    expect(history.map((op) => op.action)).toEqual(["create"]);
  });

  test("victor (viewer): no Start/Stop/Destroy buttons in the list or on the detail page", async ({ page, pageAs }) => {
    const alice = await pageAs(USERS.alice);
    const name = uniqueName("e2e-victor-ui");
    await createVm(alice.request, name);

    await apiSignIn(page.request, USERS.victor);
    await page.goto("/realm");
    await expect(page.getByTestId(`vm-state-${name}`)).toHaveText("stopped");
    await expect(page.getByTestId(`start-${name}`)).toHaveCount(0);
    await expect(page.getByTestId(`stop-${name}`)).toHaveCount(0);

    await page.getByTestId(`vm-row-${name}`).getByRole("link", { name }).click();
    await expect(page.getByTestId("vm-state")).toHaveText("stopped");
    await expect(page.getByTestId(`start-${name}`)).toHaveCount(0);
    await expect(page.getByTestId(`destroy-${name}`)).toHaveCount(0);
  });
});
