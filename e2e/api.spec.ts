import type { APIRequestContext } from "@playwright/test";
import {
  apiSignIn,
  expect,
  listAll,
  expectVmState,
  ok,
  test,
  trpcMutation,
  trpcQuery,
  uniqueName,
  USERS,
  UUID,
  type Template,
  type VmPage,
  type VmSummary,
} from "./fixtures";

/** A bare HTTP client (no browser), as a script would use the API. */
let api: APIRequestContext;
let anonymous: APIRequestContext;

test.beforeAll(async ({ playwright }, testInfo) => {
  const baseURL = testInfo.project.use.baseURL;
  api = await playwright.request.newContext({ baseURL });
  anonymous = await playwright.request.newContext({ baseURL });
  await apiSignIn(api, USERS.alice);
});

test.afterAll(async () => {
  await api?.dispose();
  await anonymous?.dispose();
});

test.describe("tRPC API", () => {
  test("list, create and start with the session cookie; operation ids come back", async () => {
    const vms = ok(await trpcQuery<VmPage>(api, "vm.list")).items;
    expect(vms.map((vm) => [vm.name, vm.kind])).toEqual(
      expect.arrayContaining([
        ["web-1", "guest"],
        ["realm-mgmt", "management"],
      ]),
    );

    const templates = await listAll<Template>(api, "template.list");
    const tiny = templates.find((t) => t.name === "alpine-3-tiny")!;
    expect(tiny).toBeDefined();

    const name = uniqueName("e2e-api");
    const created = await trpcMutation<{ vmId: string; operationId: string }>(api, "vm.create", {
      name,
      templateId: tiny.id,
      memoryMb: 384,
      vcpus: 2,
    });
    const { vmId, operationId: createOp } = ok(created);
    expect(vmId).toMatch(UUID);
    expect(createOp).toMatch(UUID);
    expect(created.response.headers()["x-request-id"]).toMatch(UUID);

    const listed = ok(await trpcQuery<VmPage<VmSummary & { memoryMb: number; vcpus: number }>>(api, "vm.list")).items.find(
      (vm) => vm.id === vmId,
    );
    expect(listed).toMatchObject({ name, kind: "guest", memoryMb: 384, vcpus: 2 });
    await expectVmState(api, vmId, "stopped");

    const started = ok(await trpcMutation<{ operationId: string }>(api, "vm.start", { vmId }));
    expect(started.operationId).toMatch(UUID);
    expect(started.operationId).not.toBe(createOp);
    await expectVmState(api, vmId, "running");

    // The operations are in the VM's history under those ids.
    const history = ok(await trpcQuery<{ items: { id: string; action: string; status: string }[] }>(api, "vm.history", { vmId })).items;
    expect(history).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: createOp, action: "create", status: "succeeded" }),
        expect.objectContaining({ id: started.operationId, action: "start", status: "succeeded" }),
      ]),
    );

    // A duplicate name is a field error on name.
    const duplicate = await trpcMutation(api, "vm.create", { name, templateId: tiny.id });
    expect(duplicate.error?.code).toBe("BAD_REQUEST");
    expect(duplicate.error?.fieldErrors?.name).toEqual(["name: a VM with this name already exists in your realm"]);

    // Invalid input names the field.
    const invalid = await trpcMutation(api, "vm.create", { name: "Bad Name", templateId: tiny.id, memoryMb: 1 });
    expect(invalid.status).toBe(400);
    expect(invalid.error?.fieldErrors?.name?.[0]).toMatch(/^name must start with a letter/);
    expect(invalid.error?.fieldErrors?.memoryMb).toEqual(["memoryMb must be at least 128"]);

    // Clean up: stop and destroy.
    ok(await trpcMutation(api, "vm.stop", { vmId }));
    await expectVmState(api, vmId, "stopped");
    ok(await trpcMutation(api, "vm.destroy", { vmId }));
    await expectVmState(api, vmId, "destroyed");
  });

  test("a POST that is not JSON gets 415 (no cross-site form posts)", async () => {
    const webId = ok(await trpcQuery<VmPage>(api, "vm.list")).items.find((vm) => vm.name === "web-1")!.id;
    for (const contentType of ["application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=x"]) {
      const response = await api.post("/api/trpc/vm.start", {
        headers: { "content-type": contentType },
        data: `vmId=${webId}`,
      });
      expect(response.status(), contentType).toBe(415);
      expect(await response.json()).toEqual({ error: { message: "content-type must be application/json" } });
    }
    // Nothing was started by those requests.
    const history = ok(await trpcQuery<{ items: { action: string }[] }>(api, "vm.history", { vmId: webId })).items;
    expect(history.map((op) => op.action)).not.toContain("start");
  });

  test("without a session every procedure is UNAUTHORIZED", async () => {
    expect(await anonymousEmail()).toBeNull();
    const list = await trpcQuery(anonymous, "vm.list");
    expect(list.status).toBe(401);
    expect(list.error?.code).toBe("UNAUTHORIZED");
    const start = await trpcMutation(anonymous, "vm.start", { vmId: "00000000-0000-4000-8000-000000000000" });
    expect(start.status).toBe(401);
    expect(start.error?.code).toBe("UNAUTHORIZED");
    const hosts = await trpcQuery(anonymous, "operator.hosts");
    expect(hosts.error?.code).toBe("UNAUTHORIZED");

    // A forged session cookie is no better.
    const forged = await anonymous.get("/api/trpc/vm.list", { headers: { cookie: "next-auth.session-token=forged" } });
    expect(forged.status()).toBe(401);
  });
});

async function anonymousEmail(): Promise<string | null> {
  const session = (await (await anonymous.get("/api/auth/session")).json()) as { user?: { email?: string } };
  return session.user?.email ?? null;
}
