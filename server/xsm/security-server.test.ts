import { readFileSync } from "node:fs";
import { beforeEach, describe, expect, it } from "vitest";
import { compilePolicy } from "./compile";
import { XsmError } from "./errors";
import { eventChannelSid, objectSidFor, selfSid, targetSid } from "./labels";
import { loadRealmPolicy, REALM_POLICY_PATH } from "./load";
import { SecurityServer } from "./security-server";
import { miniPolicy } from "./testing/mini-policy";

const policy = loadRealmPolicy();
const A_MGMT = "system_u:system_r:realm_mgmt_t:s0:c12,c873";
const A_GUEST = "system_u:system_r:realm_guest_t:s0:c12,c873";
const A_DM = "system_u:system_r:realm_dm_t:s0:c12,c873";
const B_GUEST = "system_u:system_r:realm_guest_t:s0:c1,c5";
const DOM0 = "system_u:system_r:dom0_t:s0-s0:c0.c1023";

describe("SecurityServer", () => {
  let server: SecurityServer;
  let aMgmt: number, aGuest: number, bGuest: number;
  beforeEach(() => {
    server = new SecurityServer(policy);
    aMgmt = server.contextToSid(A_MGMT);
    aGuest = server.contextToSid(A_GUEST);
    bGuest = server.contextToSid(B_GUEST);
  });

  describe("SIDs", () => {
    it("numbers initial SIDs in declaration order like Xen (xen=1, dom0=2)", () => {
      expect(server.initialSid("xen")).toBe(1);
      expect(server.initialSid("dom0")).toBe(2);
      expect(server.sidToContext(2)).toBe(DOM0);
      expect(server.contextToSid(DOM0)).toBe(2);
    });

    it("canonicalises on the way in, so equal labels share a SID", () => {
      const sid = server.contextToSid("system_u:system_r:realm_guest_t:s0:c873,c12");
      expect(sid).toBe(aGuest);
      expect(server.contextToSid("system_u:system_r:guest_t:s0:c1,c2,c3")).toBe(
        server.contextToSid("system_u:system_r:domU_t:s0:c1.c3"),
      );
    });

    it("refuses invalid labels with EINVAL (Xen's 'Invalid seclabel')", () => {
      for (const bad of [
        "system_u:object_r:realm_guest_t", // no level in an MLS policy
        "system_u:system_r:realm_channel_t:s0", // system_r does not hold channel types
        "system_u:system_r:realm_domain:s0", // an attribute is not a type
        "system_u:system_r:realm_guest_t:s0:c1024",
        "system_u:system_r:realm_guest_t:s0:c5-s0:c1", // high does not dominate low
      ]) {
        expect(() => server.contextToSid(bad), bad).toThrow(XsmError);
        try {
          server.contextToSid(bad);
        } catch (e) {
          expect((e as XsmError).code).toBe("EINVAL");
          expect((e as XsmError).errno).toBe(-22);
        }
      }
    });
  });

  describe("errors", () => {
    it("rejects an unknown class with EINVAL", () => {
      expect(() => server.hasPerm(aMgmt, aGuest, "file", "read")).toThrow(expect.objectContaining({ code: "EINVAL" }));
    });

    it("denies an unknown permission and says why", () => {
      const d = server.hasPerm(aMgmt, aGuest, "domain", ["pause", "pasue"]);
      expect(d.allowed).toBe(false);
      expect(d.denied).toEqual(["pasue"]);
      expect(d.reasons["pasue"]?.layer).toBe("unknown-permission");
    });

    it("rejects an unknown SID with EINVAL", () => {
      expect(() => server.hasPerm(9999, aGuest, "domain", "pause")).toThrow(expect.objectContaining({ code: "EINVAL" }));
    });
  });

  describe("permissive mode", () => {
    it("allows a denied operation but logs it once per (sid, sid, class, perm)", () => {
      server.setEnforcing(false);
      const first = server.hasPerm(aMgmt, bGuest, "domain", "pause", { source: 7, target: 12 });
      const second = server.hasPerm(aMgmt, bGuest, "domain", "pause", { source: 7, target: 12 });
      expect(first.allowed).toBe(true);
      expect(first.denied).toEqual(["pause"]);
      expect(first.auditLines).toEqual([
        `avc:  denied  { pause } for source=7 target=12 scontext=${A_MGMT} tcontext=${B_GUEST} tclass=domain`,
      ]);
      expect(second.allowed).toBe(true);
      expect(second.auditLines).toEqual([]);
      // a different permission on the same triple is logged on its own
      expect(server.hasPerm(aMgmt, bGuest, "domain", ["pause", "unpause"]).auditLines).toEqual([
        `avc:  denied  { unpause } for scontext=${A_MGMT} tcontext=${B_GUEST} tclass=domain`,
      ]);
      expect(server.auditLog.lines()).toHaveLength(2);
    });

    it("enforces again, and logs again, after switching back", () => {
      server.setEnforcing(false);
      server.hasPerm(aMgmt, bGuest, "domain", "pause");
      server.setEnforcing(true);
      const d = server.hasPerm(aMgmt, bGuest, "domain", "pause");
      expect(d.allowed).toBe(false);
      expect(d.auditLines).toHaveLength(1);
    });
  });

  describe("booleans and the AVC", () => {
    it("serves repeated checks from the AVC", () => {
      server.hasPerm(aMgmt, aGuest, "domain", "pause");
      server.hasPerm(aMgmt, aGuest, "domain", "unpause");
      server.hasPerm(aMgmt, aGuest, "domain", "destroy");
      expect(server.avcStats()).toMatchObject({ hits: 2, misses: 1, entries: 1 });
    });

    it("flips a decision when a boolean flips, and flushes the AVC", () => {
      expect(server.hasPerm(aMgmt, aGuest, "domain", "setdebugging").allowed).toBe(false);
      const before = server.avcStats();
      server.setBool("realm_mgmt_debug", true);
      expect(server.getBool("realm_mgmt_debug")).toBe(true);
      expect(server.avcStats().flushes).toBe(before.flushes + 1);
      expect(server.avcStats().entries).toBe(0);
      expect(server.hasPerm(aMgmt, aGuest, "domain", "setdebugging").allowed).toBe(true);
      // ...but never across realms: the MCS constraint still applies
      expect(server.hasPerm(server.contextToSid(A_MGMT), bGuest, "domain", "setdebugging").allowed).toBe(false);
      server.setBool("realm_mgmt_debug", false);
      expect(server.hasPerm(aMgmt, aGuest, "domain", "setdebugging").allowed).toBe(false);
    });

    it("turns a silent else-branch dontaudit into an allow with realm_argo_wildcard", () => {
      const xen = server.initialSid("xen");
      const off = server.hasPerm(aGuest, xen, "argo", "register_any_source");
      expect(off.allowed).toBe(false);
      expect(off.auditLines).toEqual([]);
      expect(off.reasons["register_any_source"]).toMatchObject({ layer: "boolean", booleans: ["realm_argo_wildcard"] });
      server.setBool("realm_argo_wildcard", true);
      expect(server.hasPerm(aGuest, xen, "argo", "register_any_source").allowed).toBe(true);
    });

    it("rejects an unknown boolean with ENOENT", () => {
      expect(() => server.setBool("no_such_bool", true)).toThrow(expect.objectContaining({ code: "ENOENT" }));
    });
  });

  describe("policy load", () => {
    const text = readFileSync(REALM_POLICY_PATH, "utf8");

    it("leaves the previous policy active when the new one fails to compile", () => {
      const seq = server.seqno;
      const broken = text.replace("allow realm_mgmt_t realm_guest_t : domain { create pause", "allow realm_mgmt_t realm_guest_t : domain { create pasue");
      expect(() => server.load({ text: broken, fileName: "realm.te" })).toThrow(/realm\.te:\d+: unknown permission 'pasue' in class domain/);
      expect(server.seqno).toBe(seq);
      expect(server.hasPerm(aMgmt, aGuest, "domain", "pause").allowed).toBe(true);
    });

    it("refuses a policy under which a live label would become invalid", () => {
      const dropped = text.replace(/^type realm_dm_t,.*$/m, "").replace(/realm_dm_t/g, "realm_mgmt_t");
      server.contextToSid(A_DM);
      expect(() => server.load({ text: dropped, fileName: "realm.te" })).toThrow(expect.objectContaining({ code: "EINVAL" }));
      expect(server.sidToContext(server.contextToSid(A_DM))).toBe(A_DM);
    });

    it("applies a new policy atomically, keeps SIDs and boolean values, flushes the AVC", () => {
      server.setBool("realm_mgmt_debug", true);
      server.hasPerm(aMgmt, aGuest, "domain", "pause");
      const stricter = text.replace("allow realm_mgmt_t realm_guest_t : domain { create pause", "allow realm_mgmt_t realm_guest_t : domain { create");
      server.load({ text: stricter, fileName: "realm.te" });
      expect(server.sidToContext(aGuest)).toBe(A_GUEST);
      expect(server.getBool("realm_mgmt_debug")).toBe(true);
      expect(server.avcStats().entries).toBe(0);
      const d = server.hasPerm(aMgmt, aGuest, "domain", "pause");
      expect(d.allowed).toBe(false);
      expect(d.reasons["pause"]?.layer).toBe("te");
    });
  });

  describe("derived labels", () => {
    it("computes a guest's self label (type_transition, full range kept on class domain)", () => {
      expect(server.sidToContext(selfSid(server, aGuest))).toBe("system_u:system_r:realm_guest_self_t:s0:c12,c873");
      expect(server.sidToContext(selfSid(server, server.initialSid("dom0")))).toBe("system_u:system_r:dom0_self_t:s0-s0:c0.c1023");
    });

    it("computes a device model's target label for its guest", () => {
      const dm = server.contextToSid(A_DM);
      expect(server.sidToContext(targetSid(server, aGuest, dm))).toBe("system_u:system_r:realm_guest_target_t:s0:c12,c873");
    });

    it("labels an event channel object_r with the creator's low level", () => {
      const dom0 = server.initialSid("dom0");
      expect(server.sidToContext(eventChannelSid(server, aGuest, bGuest))).toBe("system_u:object_r:realm_channel_t:s0:c12,c873");
      expect(server.sidToContext(eventChannelSid(server, dom0, aGuest))).toBe("system_u:object_r:dom0_channel_t:s0");
    });

    it("falls back to the target's type without a type_transition rule", () => {
      const disk = server.contextToSid("system_u:object_r:realm_disk_t:s0:c12,c873");
      expect(server.sidToContext(server.transitionSid(bGuest, disk, "resource"))).toBe("system_u:object_r:realm_disk_t:s0:c1,c5");
    });

    it("refuses a derived label the policy does not allow (EACCES)", () => {
      // orphan_t is held by no role, so a domain transitioning into it gets an invalid label.
      const mini = new SecurityServer(compilePolicy(miniPolicy({ te: "type_transition dom0_t guest_t : domain orphan_t;\n" }), "mini.te"));
      const dom0 = mini.initialSid("dom0");
      const guest = mini.contextToSid("system_u:system_r:guest_t:s0");
      expect(() => mini.transitionSid(dom0, guest, "domain")).toThrow(expect.objectContaining({ code: "EACCES" }));
      // on a non-domain class the result is object_r, which may hold any type
      expect(mini.sidToContext(mini.transitionSid(guest, dom0, "event"))).toBe("system_u:object_r:chan_t:s0");
    });

    it("chooses self, target or plain labels for an actor", () => {
      const guest = { domid: 5, sid: aGuest, selfSid: selfSid(server, aGuest) };
      const dmSid = server.contextToSid(A_DM);
      const dm = { domid: 6, sid: dmSid, selfSid: dmSid, target: { domid: 5, targetSid: targetSid(server, aGuest, dmSid) } };
      expect(objectSidFor(guest, guest)).toBe(guest.selfSid);
      expect(objectSidFor(dm, guest)).toBe(dm.target.targetSid);
      expect(objectSidFor(guest, dm)).toBe(dmSid);
    });
  });
});
