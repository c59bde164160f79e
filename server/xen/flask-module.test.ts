import { describe, expect, it } from "vitest";
import { createSecurityModule } from "./flask-module";
import { SecurityServer, loadRealmPolicy } from "../xsm";

const MGMT_A = "system_u:system_r:realm_mgmt_t:s0:c1,c2";
const GUEST_B = "system_u:system_r:realm_guest_t:s0:c3,c4";

describe("explain (access-check without acting)", () => {
  it("returns the decision, the reason and the would-be AVC line, and logs nothing", () => {
    const server = new SecurityServer(loadRealmPolicy());
    const xsm = createSecurityModule(server);
    const e = xsm.explain({ subject: MGMT_A, target: GUEST_B, tclass: "domain", perms: ["pause", "getdomaininfo"], source: 1, targetDomid: 4 });
    expect(e).toMatchObject({ allowed: false, granted: [], denied: ["pause", "getdomaininfo"], scontext: MGMT_A, tcontext: GUEST_B });
    expect(e.reasons.pause).toMatchObject({ layer: "constraint", detail: expect.stringMatching(/mlsconstrain at realm.te:\d+/) });
    // getdomaininfo is dontaudited for management domains: it would not appear in the line.
    expect(e.avc).toBe(`avc:  denied  { pause } for source=1 target=4 scontext=${MGMT_A} tcontext=${GUEST_B} tclass=domain`);
    expect(server.auditLog.lines()).toEqual([]);
  });

  it("explains an allow, an auditallow grant and an unknown permission", () => {
    const xsm = createSecurityModule(new SecurityServer(loadRealmPolicy()));
    expect(xsm.explain({ subject: MGMT_A, target: MGMT_A.replace("mgmt", "guest"), tclass: "domain", perms: ["pause"] })).toMatchObject({ allowed: true, avc: null });
    const dom0 = "system_u:system_r:dom0_t:s0-s0:c0.c1023";
    expect(xsm.explain({ subject: dom0, target: "system_u:object_r:security_t:s0", tclass: "security", perms: ["load_policy"] }).avc).toMatch(/^avc:  granted  \{ load_policy \}/);
    expect(xsm.explain({ subject: MGMT_A, target: GUEST_B, tclass: "domain", perms: ["fly"] }).reasons.fly?.layer).toBe("unknown-permission");
  });

  it("throws for an unknown class and an invalid label", () => {
    const xsm = createSecurityModule(new SecurityServer(loadRealmPolicy()));
    expect(() => xsm.explain({ subject: MGMT_A, target: GUEST_B, tclass: "nosuch", perms: ["x"] })).toThrow(/unknown security class/);
    expect(() => xsm.canonical("system_u:system_r:nosuch_t:s0")).toThrow();
  });
});
