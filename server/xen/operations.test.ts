import { describe, expect, it } from "vitest";
import { loadRealmPolicy } from "../xsm";
import { runChecks } from "./host-context";
import { OPERATIONS } from "./operations";
import { refused, testHost, MGMT_A } from "./test-host";
import { ARGO_ACTIONS, BLOCK_ACTIONS, DEVICE_ACTIONS, DOMAIN_ACTIONS, EVTCHN_ACTIONS, GRANT_ACTIONS, NET_ACTIONS, XENSTORE_ACTIONS } from "./types";

/** The total operation table: every operation the hypervisor implements is mapped; anything else is denied. */

const implemented = [
  ...DOMAIN_ACTIONS.map((a) => `domain.${a}`),
  ...EVTCHN_ACTIONS.map((a) => `evtchn.${a}`),
  ...GRANT_ACTIONS.map((a) => `grant.${a}`),
  ...XENSTORE_ACTIONS.map((a) => `xenstore.${a}`),
  ...ARGO_ACTIONS.map((a) => `argo.${a}`),
  ...DEVICE_ACTIONS.map((a) => `device.${a}`),
  ...BLOCK_ACTIONS.map((a) => `block.${a}`),
  ...NET_ACTIONS.map((a) => `net.${a}`),
];

describe("the operation table", () => {
  it.each(implemented)("maps %s", (op) => {
    expect(Object.keys(OPERATIONS)).toContain(op);
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
