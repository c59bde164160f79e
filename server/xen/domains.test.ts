import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createDomain, destroyDomain, getDomainInfo, lifecycle, listDomains } from "./domains";
import { DOM0, GUEST_A, GUEST_B, MGMT_A, refused, testHost, twoRealms } from "./test-host";

const spec = (label: string, extra: { initLabel?: string } = {}) => ({ uuid: randomUUID(), name: "vm", label, vcpus: 1, memoryMb: 512, ...extra });

describe("domain creation", () => {
  it("builds a realm's guest as its management domain: paused, labelled, with console and xenstore channels", () => {
    const { hv, create } = testHost();
    create(DOM0, MGMT_A);
    const d = hv.run((ctx) => createDomain(ctx, MGMT_A, spec(GUEST_A)));
    const s = hv.snapshot();
    expect(d).toMatchObject({ domid: 2, label: GUEST_A, selfLabel: "system_u:system_r:realm_guest_self_t:s0:c1,c2", state: "stopped" });
    expect(s.channels.filter((c) => c.domid === 2)).toEqual([
      { domid: 2, port: 1, label: "system_u:object_r:realm_channel_t:s0:c1,c2", state: "unbound", remoteDomid: 1, pending: 0 },
      { domid: 2, port: 2, label: "system_u:object_r:realm_channel_t:s0:c1,c2", state: "unbound", remoteDomid: 1, pending: 0 },
    ]);
    expect(s.xenstore["/local/domain/2"]).toEqual({ value: "", perms: [{ domid: 2, perm: "n" }] });
  });

  it("denies creating a domain in another realm, with the AVC line, changing nothing", () => {
    const { hv } = testHost();
    const r = refused(hv, (ctx) => createDomain(ctx, MGMT_A, spec(GUEST_B)));
    expect(r.error.code).toBe("EACCES");
    expect(r.avc).toEqual([
      "avc:  denied  { create } for target=1 scontext=system_u:system_r:realm_mgmt_t:s0:c1,c2 tcontext=system_u:system_r:realm_guest_t:s0:c3,c4 tclass=domain",
    ]);
    expect(r.after).toEqual(r.before);
  });

  it("refuses a second dom0 with EINVAL", () => {
    const { hv } = testHost();
    const r = refused(hv, (ctx) => createDomain(ctx, DOM0, spec(DOM0)));
    expect(r.error.code).toBe("EINVAL");
    expect(r.error.message).toMatch(/singleton/);
    expect(r.after).toEqual(r.before);
  });

  it.each([
    ["a category outside the policy", "system_u:system_r:realm_guest_t:s0:c1,c2000"],
    ["an unknown type", "system_u:system_r:nosuch_t:s0"],
    ["a role that may not hold the type", "system_u:system_r:realm_channel_t:s0"],
  ])("refuses %s as Invalid seclabel (EINVAL)", (_what, label) => {
    const { hv } = testHost();
    const r = refused(hv, (ctx) => createDomain(ctx, DOM0, spec(label)));
    expect(r.error.code).toBe("EINVAL");
    expect(r.error.message).toMatch(/^Invalid seclabel/);
    expect(r.after).toEqual(r.before);
  });

  it("refuses a duplicate uuid with EEXIST", () => {
    const { hv } = testHost();
    const s = spec(GUEST_A);
    hv.run((ctx) => createDomain(ctx, DOM0, s));
    expect(refused(hv, (ctx) => createDomain(ctx, DOM0, s)).error.code).toBe("EEXIST");
  });
});

describe("init_seclabel relabel flow", () => {
  it("builds under the init label and relabels before the first unpause (relabelfrom, relabelto, transition)", () => {
    const { hv } = testHost();
    const d = hv.run((ctx) => createDomain(ctx, DOM0, spec(GUEST_A, { initLabel: MGMT_A })));
    expect(d.label).toBe(GUEST_A);
    expect(d.selfLabel).toBe("system_u:system_r:realm_guest_self_t:s0:c1,c2");
    expect(d.history[0]).toMatch(/built as .*realm_mgmt_t.* relabelled to .*realm_guest_t/);
    hv.run((ctx) => lifecycle(ctx, DOM0, "domain.start", d.domid));
    expect(hv.snapshot().domains.find((x) => x.domid === d.domid)?.state).toBe("running");
  });

  it("denies relabelling into another realm: domain transition across levels", () => {
    const { hv } = testHost();
    const r = refused(hv, (ctx) => createDomain(ctx, DOM0, spec(GUEST_B, { initLabel: MGMT_A })));
    expect(r.error.code).toBe("EACCES");
    expect(r.avc).toEqual([
      "avc:  denied  { transition } for source=1 target=1 scontext=system_u:system_r:realm_mgmt_t:s0:c1,c2 tcontext=system_u:system_r:realm_guest_t:s0:c3,c4 tclass=domain",
    ]);
    expect(r.after).toEqual(r.before);
  });

  it("denies a management domain relabelling its guest to a type it may not assign (relabelto)", () => {
    const { hv, create } = testHost();
    create(DOM0, MGMT_A);
    const dm = "system_u:system_r:realm_dm_t:s0:c1,c2";
    const r = refused(hv, (ctx) => createDomain(ctx, MGMT_A, spec(dm, { initLabel: GUEST_A })));
    expect(r.error.code).toBe("EACCES");
    expect(r.avc).toEqual([
      "avc:  denied  { relabelto } for source=1 target=2 scontext=system_u:system_r:realm_mgmt_t:s0:c1,c2 tcontext=system_u:system_r:realm_dm_t:s0:c1,c2 tclass=domain2",
    ]);
    expect(r.after).toEqual(r.before);
  });
});

describe("lifecycle across realms", () => {
  it("denies realm A's management domain pausing realm B's guest with Xen's AVC line", () => {
    const { hv, guestB } = twoRealms();
    const r = refused(hv, (ctx) => lifecycle(ctx, MGMT_A, "domain.pause", guestB));
    expect(r.error.code).toBe("EACCES");
    expect(r.avc).toEqual([
      "avc:  denied  { pause } for source=1 target=4 scontext=system_u:system_r:realm_mgmt_t:s0:c1,c2 tcontext=system_u:system_r:realm_guest_t:s0:c3,c4 tclass=domain",
    ]);
    expect(r.after).toEqual(r.before);
  });

  it.each([
    ["domain.pause", "pause"],
    ["domain.stop", "shutdown"],
    ["domain.reboot", "shutdown"],
  ] as const)("denies %s across realms on { %s }", (op, perm) => {
    const { hv, guestB } = twoRealms();
    const r = refused(hv, (ctx) => lifecycle(ctx, MGMT_A, op, guestB));
    expect(r.avc[0]).toMatch(new RegExp(`^avc:  denied  \\{ ${perm} \\} for source=1 target=4 `));
  });

  it("denies destroy across realms and keeps the domain", () => {
    const { hv, guestB } = twoRealms();
    const r = refused(hv, (ctx) => destroyDomain(ctx, MGMT_A, guestB));
    expect(r.avc[0]).toMatch(/^avc:  denied  \{ destroy \} for source=1 target=4 /);
    expect(r.after).toEqual(r.before);
  });

  it("lets a realm pause, resume, stop, restart, reboot and destroy its own guest", () => {
    const { hv, guestA } = twoRealms();
    const state = () => hv.snapshot().domains.find((d) => d.domid === guestA)?.state;
    hv.run((ctx) => lifecycle(ctx, MGMT_A, "domain.pause", guestA));
    expect(state()).toBe("paused");
    hv.run((ctx) => lifecycle(ctx, MGMT_A, "domain.resume", guestA));
    expect(state()).toBe("running");
    hv.run((ctx) => lifecycle(ctx, MGMT_A, "domain.reboot", guestA));
    expect(state()).toBe("running");
    hv.run((ctx) => lifecycle(ctx, MGMT_A, "domain.stop", guestA));
    expect(state()).toBe("stopped");
    hv.run((ctx) => lifecycle(ctx, MGMT_A, "domain.start", guestA));
    hv.run((ctx) => destroyDomain(ctx, MGMT_A, guestA));
    expect(state()).toBeUndefined();
    expect(hv.drainAvc()).toEqual([]);
  });

  it("answers ENOENT for an unknown domain id and EINVAL for dom0 or an invalid transition", () => {
    const { hv, guestA } = twoRealms();
    expect(refused(hv, (ctx) => lifecycle(ctx, MGMT_A, "domain.pause", 99)).error.code).toBe("ENOENT");
    expect(refused(hv, (ctx) => lifecycle(ctx, DOM0, "domain.pause", 0)).error.code).toBe("EINVAL");
    expect(refused(hv, (ctx) => lifecycle(ctx, MGMT_A, "domain.resume", guestA)).error.code).toBe("EINVAL");
  });
});

describe("getdomaininfo and listing", () => {
  it("filters the list silently: a realm sees itself and its guests only, with no AVC noise", () => {
    const { hv, mgmtA, guestA } = twoRealms();
    const seen = hv.run((ctx) => listDomains(ctx, MGMT_A)).map((d) => d.domid);
    expect(seen).toEqual([mgmtA, guestA]);
    expect(hv.drainAvc()).toEqual([]);
    expect(hv.run((ctx) => listDomains(ctx, DOM0))).toHaveLength(5);
  });

  it("denies getdomaininfo on another realm's domain (dontaudited: no line)", () => {
    const { hv, guestB } = twoRealms();
    const r = refused(hv, (ctx) => getDomainInfo(ctx, MGMT_A, guestB));
    expect(r.error.code).toBe("EACCES");
    expect(r.avc).toEqual([]);
  });

  it("a guest may not list (no getdomaininfo on DOMID_XEN)", () => {
    const { hv } = twoRealms();
    const r = refused(hv, (ctx) => listDomains(ctx, GUEST_A));
    expect(r.avc).toEqual([
      "avc:  denied  { getdomaininfo } for source=3 target=32754 scontext=system_u:system_r:realm_guest_t:s0:c1,c2 tcontext=system_u:system_r:domxen_t:s0 tclass=domain",
    ]);
  });
});
