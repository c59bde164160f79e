import { describe, expect, it } from "vitest";
import { MGMT_A, refused, twoRealms } from "./test-host";
import { xenstoreOp } from "./xenstore";

describe("xenstore ownership and permissions", () => {
  it("a domain owns its /local/domain/<id> tree; others see nothing", () => {
    const { hv, guestA, mgmtA } = twoRealms();
    hv.run((ctx) => xenstoreOp(ctx, MGMT_A, { action: "write", domid: guestA, path: `/local/domain/${guestA}/data/key`, value: "v" }));
    expect(hv.run((ctx) => xenstoreOp(ctx, MGMT_A, { action: "read", domid: guestA, path: `/local/domain/${guestA}/data/key` }))).toEqual({ value: "v" });
    // The management domain itself (acting as itself, not driving the guest) has no permission.
    const r = refused(hv, (ctx) => xenstoreOp(ctx, MGMT_A, { action: "read", domid: mgmtA, path: `/local/domain/${guestA}/data/key` }));
    expect(r.error.code).toBe("EACCES");
    expect(r.avc).toEqual([]);
  });

  it("the owner grants read access to one domain with set-perms; only the owner may", () => {
    const { hv, guestA, mgmtA } = twoRealms();
    const path = `/local/domain/${guestA}/shared`;
    hv.run((ctx) => xenstoreOp(ctx, MGMT_A, { action: "write", domid: guestA, path, value: "hello" }));
    expect(refused(hv, (ctx) => xenstoreOp(ctx, MGMT_A, { action: "set-perms", domid: mgmtA, path, perms: [{ domid: mgmtA, perm: "b" }] })).error.code).toBe("EACCES");
    hv.run((ctx) => xenstoreOp(ctx, MGMT_A, { action: "set-perms", domid: guestA, path, perms: [{ domid: guestA, perm: "n" }, { domid: mgmtA, perm: "r" }] }));
    expect(hv.run((ctx) => xenstoreOp(ctx, MGMT_A, { action: "read", domid: mgmtA, path }))).toEqual({ value: "hello" });
    expect(refused(hv, (ctx) => xenstoreOp(ctx, MGMT_A, { action: "write", domid: mgmtA, path, value: "x" })).error.code).toBe("EACCES");
  });

  it("lists, removes and answers ENOENT", () => {
    const { hv, guestA } = twoRealms();
    hv.run((ctx) => xenstoreOp(ctx, MGMT_A, { action: "write", domid: guestA, path: `/local/domain/${guestA}/a`, value: "1" }));
    expect(hv.run((ctx) => xenstoreOp(ctx, MGMT_A, { action: "ls", domid: guestA, path: `/local/domain/${guestA}` }))).toEqual({ entries: ["a"] });
    hv.run((ctx) => xenstoreOp(ctx, MGMT_A, { action: "rm", domid: guestA, path: `/local/domain/${guestA}/a` }));
    expect(refused(hv, (ctx) => xenstoreOp(ctx, MGMT_A, { action: "read", domid: guestA, path: `/local/domain/${guestA}/a` })).error.code).toBe("ENOENT");
  });

  it("denies driving another realm's domain before xenstored is asked", () => {
    const { hv, guestB } = twoRealms();
    const r = refused(hv, (ctx) => xenstoreOp(ctx, MGMT_A, { action: "read", domid: guestB, path: `/local/domain/${guestB}` }));
    expect(r.avc[0]).toMatch(/^avc:  denied  \{ trigger \} for source=1 target=4 /);
  });
});
