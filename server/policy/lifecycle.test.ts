import { describe, expect, it } from "vitest";
import { decideTransition, settledState, type LifecycleAction, type VmState } from "./lifecycle";

const STATES: VmState[] = ["creating", "stopped", "starting", "running", "stopping", "paused", "destroyed", "failed", "pausing", "resuming", "rebooting", "migrating", "attaching", "detaching", "resizing", "snapshotting", "reverting"];
const ALLOWED: Record<Exclude<LifecycleAction, "create">, VmState[]> = {
  start: ["stopped"],
  stop: ["running", "paused"],
  pause: ["running"],
  resume: ["paused"],
  reboot: ["running"],
  destroy: ["stopped", "running", "paused", "failed"],
  migrate: ["running", "stopped"],
  "attach-disk": ["stopped", "running", "paused"],
  "detach-disk": ["stopped", "running", "paused"],
  "attach-net": ["stopped", "running", "paused"],
  "detach-net": ["stopped", "running", "paused"],
  resize: ["stopped", "running", "paused"],
  snapshot: ["stopped", "running", "paused"],
  revert: ["stopped", "running", "paused"],
  "delete-snapshot": ["stopped", "running", "paused"],
};

describe("VM lifecycle state machine", () => {
  for (const [action, from] of Object.entries(ALLOWED) as [keyof typeof ALLOWED, VmState[]][]) {
    it.each(STATES)(`${action} from %s`, (state) => {
      expect(decideTransition(action, state).allowed).toBe(from.includes(state));
    });
  }

  it("settles a revert in the state the snapshot was taken in: a running VM reverted to a stopped snapshot stops", () => {
    expect(settledState("revert", "running", "stopped")).toBe("stopped");
    expect(settledState("revert", "stopped", "paused")).toBe("paused");
    expect(settledState("snapshot", "paused")).toBe("paused");
    expect(settledState("resize", "running")).toBe("running");
  });

  it("refuses a transition with the state and what would be allowed", () => {
    expect(decideTransition("start", "running")).toEqual({ allowed: false, reason: "cannot start a VM that is running (allowed when stopped)" });
  });

  it("never accepts an action on a VM in flight or destroyed", () => {
    for (const action of Object.keys(ALLOWED) as (keyof typeof ALLOWED)[]) {
      for (const state of ["creating", "starting", "stopping", "destroyed", "pausing", "resuming", "rebooting", "migrating", "attaching", "detaching"] as const) {
        expect(decideTransition(action, state).allowed).toBe(false);
      }
    }
  });

  it("settles each action in its target state; a migration keeps the run state", () => {
    const actions: LifecycleAction[] = ["create", "start", "stop", "pause", "resume", "reboot", "destroy"];
    expect(actions.map((a) => settledState(a, "running"))).toEqual(["stopped", "running", "stopped", "paused", "running", "running", "destroyed"]);
    expect(settledState("migrate", "running")).toBe("running");
    expect(settledState("migrate", "stopped")).toBe("stopped");
  });
});
