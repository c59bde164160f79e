import { describe, expect, it } from "vitest";
import { decideTransition, settledState, type LifecycleAction, type VmState } from "./lifecycle";

const STATES: VmState[] = ["creating", "stopped", "starting", "running", "stopping", "paused", "destroyed", "failed"];
const ALLOWED: Record<Exclude<LifecycleAction, "create">, VmState[]> = {
  start: ["stopped"],
  stop: ["running", "paused"],
  destroy: ["stopped", "running", "paused", "failed"],
};

describe("VM lifecycle state machine", () => {
  for (const [action, from] of Object.entries(ALLOWED) as [keyof typeof ALLOWED, VmState[]][]) {
    it.each(STATES)(`${action} from %s`, (state) => {
      expect(decideTransition(action, state).allowed).toBe(from.includes(state));
    });
  }

  it("refuses a transition with the state and what would be allowed", () => {
    expect(decideTransition("start", "running")).toEqual({ allowed: false, reason: "cannot start a VM that is running (allowed when stopped)" });
  });

  it("never accepts an action on a VM in flight or destroyed", () => {
    for (const action of ["start", "stop", "destroy"] as const) {
      for (const state of ["creating", "starting", "stopping", "destroyed"] as const) {
        expect(decideTransition(action, state).allowed).toBe(false);
      }
    }
  });

  it("settles each action in its target state", () => {
    expect(["create", "start", "stop", "destroy"].map((a) => settledState(a as LifecycleAction))).toEqual(["stopped", "running", "stopped", "destroyed"]);
  });
});
