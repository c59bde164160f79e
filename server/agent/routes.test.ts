import { describe, expect, it } from "vitest";
import { argoAction, deviceAction, domainAction, evtchnAction, grantAction, xenstoreAction } from "../contracts/agent";
import { OPERATIONS } from "../xen";
import { ROUTES } from "./routes";

/** The agent's wire contract against the hypervisor's operation table: nothing reachable is unmapped, nothing mapped is unreachable. */

const contractOperations = [
  ...domainAction.options.map((a) => `domain.${a}`),
  ...evtchnAction.options.map((a) => `evtchn.${a}`),
  ...grantAction.options.map((a) => `grant.${a}`),
  ...xenstoreAction.options.map((a) => `xenstore.${a}`),
  ...argoAction.options.map((a) => `argo.${a}`),
  ...deviceAction.options.map((a) => `device.${a}`),
];
const routedOperations = ROUTES.flatMap((r) => r.operations as readonly string[]);

describe("the agent's routes and the operation table", () => {
  it.each(contractOperations)("maps the contract's %s", (op) => {
    expect(Object.keys(OPERATIONS)).toContain(op);
  });

  it.each(ROUTES.map((r) => [`${r.method} ${r.path}`, r.operations] as const))("maps every operation %s can reach", (_route, ops) => {
    for (const op of ops) expect(Object.keys(OPERATIONS)).toContain(op);
  });

  it("has no table entry that no route exposes", () => {
    expect(Object.keys(OPERATIONS).filter((op) => !routedOperations.includes(op))).toEqual([]);
  });
});
