import { describe, expect, it } from "vitest";
import { LIFECYCLE_ACTIONS } from "./lifecycle";
import { planSteps, stepKey } from "./plan";

describe("operation plans", () => {
  it("has a plan for every lifecycle action", () => {
    for (const action of LIFECYCLE_ACTIONS) expect(planSteps(action, {}).length).toBeGreaterThan(0);
  });
  it("a hard stop destroys and rebuilds; a clean stop shuts down", () => {
    expect(planSteps("stop", { mode: "hard" })).toEqual([
      { on: "source", action: "destroy" },
      { on: "source", action: "create" },
    ]);
    expect(planSteps("stop", {})).toEqual([{ on: "source", action: "stop" }]);
  });
  it("a migration leaves the source, then enters the destination", () => {
    expect(planSteps("migrate", { destinationHostId: "h" })).toEqual([
      { on: "source", action: "migrate-out" },
      { on: "destination", action: "migrate-in" },
    ]);
  });
  it("devices go through the device endpoint", () => {
    expect(planSteps("attach-disk", { diskId: "d" })).toEqual([{ on: "source", device: "attach-disk" }]);
  });
  it("derives distinct, stable, UUID-shaped keys per step", () => {
    const op = "0b6f4f1e-9a5c-4a8e-9d3e-2f1b3c4d5e6f";
    expect(stepKey(op, 0)).toBe(op);
    expect(stepKey(op, 1)).toBe(stepKey(op, 1));
    expect(stepKey(op, 1)).not.toBe(stepKey(op, 2));
    expect(stepKey(op, 1)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
