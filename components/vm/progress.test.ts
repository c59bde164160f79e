import { describe, expect, it } from "vitest";
import { ROLE_GRANTS, type Role } from "@/server/policy/permissions";
import { LIFECYCLE_ACTIONS } from "@/server/policy/lifecycle";
import { activityOf, IN_PROGRESS, offeredActions, type OperationView, type VmAction } from "./progress";

const role = (r: Role) => (permission: string) => (ROLE_GRANTS[r] as ReadonlySet<string>).has(permission);

const op = (action: string, over: Partial<OperationView> = {}): OperationView => ({
  id: "op-1",
  action,
  done: false,
  steps: [
    { name: "accepted", status: "done", detail: null },
    { name: "dispatched", status: "done", detail: "1 attempt" },
    { name: "applied", status: "running", detail: null },
  ],
  ...over,
});

const offered = (args: Parameters<typeof offeredActions>[0]) => offeredActions(args).map((o) => `${o.action}${o.enabled ? "" : " (disabled)"}`);

describe("what a VM is doing", () => {
  it("says the operation in flight in words, with its own steps", () => {
    const activity = activityOf({ state: "starting", operation: op("start"), requested: null });
    expect(activity).toEqual({
      label: "starting…",
      steps: [
        { name: "accepted", label: "accepted", status: "done", detail: null },
        { name: "dispatched", label: "sent to the host", status: "done", detail: "1 attempt" },
        { name: "applied", label: "applied by the hypervisor", status: "running", detail: null },
      ],
    });
  });

  it.each([
    ["reboot", "rebooting…"],
    ["migrate", "migrating…"],
    ["destroy", "destroying…"],
    ["pause", "pausing…"],
  ])("says %s as %s", (action, label) => {
    expect(activityOf({ state: "running", operation: op(action), requested: null })?.label).toBe(label);
  });

  it("has words for every lifecycle action (a new action without them fails here)", () => {
    for (const action of LIFECYCLE_ACTIONS) expect(IN_PROGRESS[action]).toMatch(/…$/);
  });

  it("shows a request this tab sent before the operation exists", () => {
    expect(activityOf({ state: "stopped", operation: null, requested: "start" })).toEqual({
      label: "starting…",
      steps: [{ name: "requested", label: "requested", status: "running", detail: null }],
    });
  });

  it("falls back on the VM's in-flight state, and is quiet once settled and the operation done", () => {
    expect(activityOf({ state: "migrating", operation: undefined, requested: null })?.label).toBe("migrating…");
    expect(activityOf({ state: "running", operation: op("start", { done: true }), requested: null })).toBeNull();
    expect(activityOf({ state: "destroyed", operation: null, requested: null })).toBeNull();
  });
});

describe("actions offered while one is in flight", () => {
  const idle = { activity: null, inFlightAction: null, lastSettled: null };

  it("offers an owner what the state machine allows from a stopped VM, all enabled", () => {
    expect(offered({ ...idle, state: "stopped", can: role("owner") })).toEqual(["start", "migrate", "destroy"]);
  });

  it("keeps Start where it was, disabled, while the VM is starting (no second start)", () => {
    const activity = activityOf({ state: "starting", operation: op("start"), requested: null });
    expect(offered({ state: "starting", lastSettled: "stopped", activity, inFlightAction: "start", can: role("owner") })).toEqual([
      "start (disabled)",
      "migrate (disabled)",
      "destroy (disabled)",
    ]);
  });

  it("disables every conflicting action while a request is on its way, even before the state changes", () => {
    const activity = activityOf({ state: "running", operation: null, requested: "reboot" });
    const all = offeredActions({ state: "running", lastSettled: "running", activity, inFlightAction: "reboot", can: role("owner") });
    expect(all.map((o) => o.action)).toEqual(["pause", "reboot", "stop", "hard-stop", "migrate", "destroy"] satisfies VmAction[]);
    expect(all.every((o) => !o.enabled && o.why === "rebooting in progress: wait until it finishes")).toBe(true);
  });

  it("without a remembered state (another tab started it), shows the buttons of the state the action starts from", () => {
    const activity = activityOf({ state: "migrating", operation: op("migrate"), requested: null });
    expect(offered({ state: "migrating", lastSettled: null, activity, inFlightAction: "migrate", can: role("operator") })).toEqual([
      "pause (disabled)",
      "reboot (disabled)",
      "stop (disabled)",
      "hard-stop (disabled)",
    ]);
  });

  it("enables the next state's actions once it settled", () => {
    expect(offered({ ...idle, state: "running", lastSettled: "stopped", can: role("operator") })).toEqual(["pause", "reboot", "stop", "hard-stop"]);
  });

  it("offers a viewer nothing, in any state", () => {
    for (const state of ["stopped", "running", "paused", "starting"]) expect(offered({ ...idle, state, can: role("viewer") })).toEqual([]);
  });
});
