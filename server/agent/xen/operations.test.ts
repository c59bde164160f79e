import { describe, expect, it } from "vitest";
import { argoAction, deviceAction, domainAction, evtchnAction, grantAction, xenstoreAction } from "../../contracts/agent";
import { ROUTES } from "../routes";
import { loadRealmPolicy } from "../xsm";
import { runChecks } from "./host-context";
import { OPERATIONS } from "./operations";
import { refused, testHost, MGMT_A } from "./test-host";

/** The total operation table: every exposed operation is mapped; anything else is denied. */

const contractOperations = [
  ...domainAction.options.map((a) => `domain.${a}`),
  ...evtchnAction.options.map((a) => `evtchn.${a}`),
  ...grantAction.options.map((a) => `grant.${a}`),
  ...xenstoreAction.options.map((a) => `xenstore.${a}`),
  ...argoAction.options.map((a) => `argo.${a}`),
  ...deviceAction.options.map((a) => `device.${a}`),
];
const routedOperations = ROUTES.flatMap((r) => r.operations as readonly string[]);

describe("the operation table", () => {
  it.each(contractOperations)("maps the contract's %s", (op) => {
    expect(Object.keys(OPERATIONS)).toContain(op);
  });

  it.each(ROUTES.map((r) => [`${r.method} ${r.path}`, r.operations] as const))("maps every operation %s can reach", (_route, ops) => {
    for (const op of ops) expect(Object.keys(OPERATIONS)).toContain(op);
  });

  it("has no entry that no route exposes", () => {
    expect(Object.keys(OPERATIONS).filter((op) => !routedOperations.includes(op))).toEqual([]);
  });

  it("names only classes and permissions the realm policy defines", () => {
    const policy = loadRealmPolicy();
    for (const [op, spec] of Object.entries(OPERATIONS)) {
      for (const c of spec.checks) {
        const cls = policy.classByName.get(c.tclass);
        expect(cls, `${op}: class ${c.tclass}`).toBeDefined();
        for (const p of [...c.perms, ...(c.plus?.perms ?? [])]) expect(cls!.permBits.has(p), `${op}: ${c.tclass} ${p}`).toBe(true);
      }
    }
  });

  it("gives every hypercall at least one check (only the crash test hook has none)", () => {
    expect(Object.entries(OPERATIONS).filter(([, s]) => s.checks.length === 0).map(([op]) => op)).toEqual(["host.crash"]);
  });

  it("denies an unknown operation (fail closed), changing nothing", () => {
    const { hv } = testHost();
    const r = refused(hv, (ctx) => runChecks(ctx, "domain.frobnicate", { subject: { label: MGMT_A } }));
    expect(r.error.code).toBe("EACCES");
    expect(r.error.message).toMatch(/unknown operation 'domain.frobnicate'.*fail closed/);
    expect(r.after).toEqual(r.before);
  });

  it("denies a check whose role the hook did not bind (fail closed)", () => {
    const { hv } = testHost();
    const r = refused(hv, (ctx) => runChecks(ctx, "domain.pause", { subject: { label: MGMT_A } }));
    expect(r.error).toMatchObject({ code: "EACCES" });
    expect(r.error.message).toMatch(/no domain bound/);
  });
});
