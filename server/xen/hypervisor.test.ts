import { describe, expect, it } from "vitest";
import { DOM0_LABEL, realmDiskLabel } from "../xsm";
import * as argo from "./argo";
import * as devices from "./devices";
import { destroyDomain, lifecycle } from "./domains";
import { HypercallError } from "./errors";
import * as evtchn from "./evtchn";
import * as grants from "./grants";
import { Hypervisor } from "./hypervisor";
import { HISTORY_LIMIT } from "./state";
import { acmModule } from "./acm/compose";
import { DEFAULT_ACM_POLICY, GUEST_A, MGMT_A, refused, testHost, twoRealms } from "./test-host";
import { xenstoreOp } from "./xenstore";

/** A host where every kind of object exists: channels, grants, a mapping, a device, an Argo ring, xenstore nodes. */
function busyHost() {
  const h = twoRealms();
  const guestA2 = h.create(MGMT_A, GUEST_A);
  const { hv, guestA } = h;
  const { port } = hv.run((ctx) => evtchn.allocUnbound(ctx, MGMT_A, guestA, guestA2));
  hv.run((ctx) => evtchn.bindInterdomain(ctx, MGMT_A, guestA2, guestA, port));
  const { gref } = hv.run((ctx) => grants.grantAccess(ctx, MGMT_A, guestA, guestA2, false));
  hv.run((ctx) => grants.map(ctx, MGMT_A, guestA2, guestA, gref, false));
  hv.run((ctx) => devices.attach(ctx, MGMT_A, guestA, { kind: "vbd", id: "disk-a", label: realmDiskLabel("s0:c1,c2"), readOnly: false }));
  hv.run((ctx) => argo.register(ctx, MGMT_A, guestA, 7, guestA2));
  hv.run((ctx) => argo.sendv(ctx, MGMT_A, guestA2, guestA, 7, "hi"));
  hv.run((ctx) => xenstoreOp(ctx, MGMT_A, { action: "write", domid: guestA, path: `/local/domain/${guestA}/data/a/b`, value: "v" }));
  hv.drainAvc();
  return { ...h, guestA2 };
}

describe("the hypervisor's transactions", () => {
  it("undoes a refused operation's writes, deletes included, leaving the snapshot byte-for-byte unchanged", () => {
    const { hv, guestA } = busyHost();
    const before = JSON.stringify(hv.snapshot());
    hv.takeChanges();
    // A hook that tore a domain down (channels, grants, mappings, device, ring, xenstore) and then failed.
    expect(() =>
      hv.run((ctx) => {
        destroyDomain(ctx, MGMT_A, guestA);
        throw new HypercallError("EINVAL", "failed after the teardown");
      }),
    ).toThrow("failed after the teardown");
    expect(JSON.stringify(hv.snapshot())).toBe(before);
    expect(hv.takeChanges()).toEqual([]);
  });

  it("refuses a hook that changes a row behind the transaction's back (rows are frozen)", () => {
    const { hv, guestA } = twoRealms();
    const before = hv.snapshot();
    expect(() =>
      hv.run((ctx) => {
        (ctx.state.domains.get(guestA) as { state: string }).state = "paused";
      }),
    ).toThrow(TypeError);
    expect(hv.snapshot()).toEqual(before);
  });

  it("journals each committed operation's rows: replaying them on the boot snapshot gives the same host", () => {
    const booted = testHost().hv.snapshot();
    const built = busyHost(); // every operation since boot, refused ones included, on the same boot id
    const replica = new Hypervisor(built.xsm, { acmModule: acmModule("chinese-wall+ste"), acmPolicy: DEFAULT_ACM_POLICY, options: { argoMacPermissive: false } }, booted);
    replica.replay(built.hv.takeChanges());
    expect(JSON.stringify(replica.snapshot())).toBe(JSON.stringify(built.hv.snapshot()));
  });

  it("journals the final value of a row written twice in one operation, and nothing for a read", () => {
    const { hv, guestA } = twoRealms();
    hv.takeChanges();
    hv.run((ctx) => {
      lifecycle(ctx, MGMT_A, "domain.pause", guestA);
      lifecycle(ctx, MGMT_A, "domain.unpause", guestA);
    });
    const changes = hv.takeChanges().filter((c) => c.table === "domains");
    expect(changes).toHaveLength(1);
    expect(changes[0]!.row).toMatchObject({ state: "running", history: ["create", "unpause", "pause", "unpause"] });
    hv.run((ctx) => xenstoreOp(ctx, MGMT_A, { action: "read", domid: guestA, path: `/local/domain/${guestA}` }));
    expect(hv.takeChanges()).toEqual([]);
  });

  it("keeps a domain's history bounded (a ring of its last events) and counts what it dropped", () => {
    const { hv, guestA } = twoRealms();
    for (let i = 0; i < HISTORY_LIMIT; i++) {
      hv.run((ctx) => lifecycle(ctx, MGMT_A, "domain.pause", guestA));
      hv.run((ctx) => lifecycle(ctx, MGMT_A, "domain.unpause", guestA));
    }
    const history = hv.snapshot().domains.find((d) => d.domid === guestA)!.history;
    expect(history).toHaveLength(HISTORY_LIMIT);
    expect(history.at(-1)).toBe("unpause");
    // create, unpause (twoRealms), then 2 × HISTORY_LIMIT events: all but HISTORY_LIMIT dropped.
    expect(hv.snapshot().domains.find((d) => d.domid === guestA)!.historyDropped).toBe(2 + HISTORY_LIMIT);
  });

  it("tears a domain down completely: nothing of it is left in any table", () => {
    const { hv, guestA, guestA2 } = busyHost();
    hv.run((ctx) => destroyDomain(ctx, DOM0_LABEL, guestA));
    const s = hv.snapshot();
    // (xenstore directories the toolstack created for its backend keep their permission entries, as before)
    const mentions = JSON.stringify({ ...s, xenstore: {}, domains: s.domains.filter((d) => d.domid !== guestA2) }).match(new RegExp(`"(domid|granterDomid|mapperDomid)":${guestA}\\b`, "g"));
    expect(mentions).toBeNull();
    expect(Object.keys(s.xenstore).filter((p) => p.includes(`/${guestA}`))).toEqual([]);
    expect(s.acm.chineseWall.admitted[String(guestA)]).toBeUndefined();
    // The surviving peer's end of the interdomain channel fell back to unbound.
    expect(s.channels.filter((c) => c.domid === guestA2 && c.remoteDomid === guestA).map((c) => c.state)).toEqual(["unbound"]);
  });

  it("still refuses across realms with the state unchanged (the tables change nothing about the checks)", () => {
    const { hv, guestB } = twoRealms();
    const r = refused(hv, (ctx) => lifecycle(ctx, MGMT_A, "domain.pause", guestB));
    expect(r.error.code).toBe("EACCES");
    expect(JSON.stringify(r.after)).toBe(JSON.stringify(r.before));
  });
});
