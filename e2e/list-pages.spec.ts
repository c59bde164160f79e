import { apiSignIn, createRunningVm, expect, expectOperationSucceeded, ok, STATE_TIMEOUT, test, trpcMutation, trpcQuery, uniqueName, USERS } from "./fixtures";

/**
 * A VM's history pages (issue 12: "Every list in the product paginates"): it used to show the
 * last 20 operations and nothing older. The page shows the newest 20; "Show more operations"
 * loads the older ones; the API pages the same list with a cursor.
 */

type Operation = { id: string; action: string };

test.describe("list pages", () => {
  test("alice: a VM's page shows its newest 20 operations and 'Show more operations' the older ones; vm.history pages the same list", async ({ page }) => {
    test.setTimeout(180_000);
    await apiSignIn(page.request, USERS.alice);
    const vmId = await createRunningVm(page.request, uniqueName("e2e-pages"));
    try {
      // create, start, then ten pauses and resumes: 22 operations.
      for (let i = 0; i < 10; i++) {
        for (const action of ["vm.pause", "vm.resume"]) {
          const { operationId } = ok(await trpcMutation<{ operationId: string }>(page.request, action, { vmId }));
          await expectOperationSucceeded(page.request, operationId);
        }
      }
      const whole = ok(await trpcQuery<{ items: Operation[]; nextCursor: string | null }>(page.request, "vm.history", { vmId, limit: 200 }));
      expect(whole.items).toHaveLength(22);
      expect(whole.nextCursor).toBeNull();
      expect(whole.items.at(-1)?.action).toBe("create");
      const paged: string[] = [];
      let cursor: string | undefined;
      do {
        const next = ok(await trpcQuery<{ items: Operation[]; nextCursor: string | null }>(page.request, "vm.history", { vmId, limit: 5, ...(cursor ? { cursor } : {}) }));
        paged.push(...next.items.map((o) => o.id));
        cursor = next.nextCursor ?? undefined;
      } while (cursor);
      expect(paged).toEqual(whole.items.map((o) => o.id));

      await page.goto(`/realm/vms/${vmId}`);
      const rows = page.getByTestId("vm-history").locator("tbody tr");
      await expect(rows).toHaveCount(20, { timeout: STATE_TIMEOUT });
      await expect(rows.first().locator("td:nth-child(3)")).toHaveText("resume");
      await page.getByTestId("vm-history-more").click();
      await expect(rows).toHaveCount(22);
      await expect(rows.last().locator("td:nth-child(3)")).toHaveText("create");
      await expect(page.getByTestId("vm-history-more")).toHaveCount(0);
    } finally {
      await trpcMutation(page.request, "vm.destroy", { vmId });
    }
  });
});
