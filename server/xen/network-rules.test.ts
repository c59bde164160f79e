import { describe, expect, it } from "vitest";
import { evaluateFlow, ruleFieldErrors, type Flow, type PlatformRule, type RealmRule } from "./network-rules";

const WEB = { vmId: "vm-web", networkIds: ["net-front"] };
const DB = { vmId: "vm-db", networkIds: ["net-back"] };
const toVm = (e: typeof WEB) => ({ kind: "vm" as const, ...e });
const flow = (over: Partial<Flow>): Flow => ({ from: WEB, to: toVm(DB), protocol: "tcp", port: 5432, ...over });

const webToDb: RealmRule = { id: "r-web-db", from: { kind: "vm", id: "vm-web" }, to: { kind: "network", id: "net-back" }, protocol: "tcp", ports: { from: 5432, to: 5433 } };
const webOut: RealmRule = { id: "r-web-out", from: { kind: "network", id: "net-front" }, to: { kind: "uplink" }, protocol: "any", ports: null };
const noSmtp: PlatformRule = { id: "p-smtp", name: "no outbound mail", to: { kind: "uplink", address: null }, protocol: "tcp", ports: { from: 25, to: 25 } };
const noMetadata: PlatformRule = { id: "p-meta", name: "no metadata service", to: { kind: "uplink", address: "169.254.169.254" }, protocol: "any", ports: null };

describe("network rule evaluation (realm rules, then platform rules)", () => {
  it.each([
    ["denies any flow between VMs when the realm has no rule (default deny)", [], flow({}), { allowed: false, layer: "realm", ruleId: null }],
    ["allows a flow a realm rule allows, naming the rule", [webToDb], flow({}), { allowed: true, layer: "realm", ruleId: "r-web-db" }],
    ["allows the range's last port", [webToDb], flow({ port: 5433 }), { allowed: true, layer: "realm", ruleId: "r-web-db" }],
    ["denies a port just outside the range", [webToDb], flow({ port: 5434 }), { allowed: false, layer: "realm", ruleId: null }],
    ["denies another protocol on an allowed port", [webToDb], flow({ protocol: "udp" }), { allowed: false, layer: "realm", ruleId: null }],
    ["denies icmp against a rule with a port range", [webToDb], flow({ protocol: "icmp", port: null }), { allowed: false, layer: "realm", ruleId: null }],
    ["denies the reverse direction (rules are one way)", [webToDb], flow({ from: DB, to: toVm(WEB) }), { allowed: false, layer: "realm", ruleId: null }],
    ["takes the first matching rule in order", [webOut, webToDb], flow({}), { allowed: true, layer: "realm", ruleId: "r-web-db" }],
  ] as const)("%s", (_name, rules, f, expected) => {
    expect(evaluateFlow(rules, [], f)).toMatchObject(expected);
  });

  it("lets a platform deny beat a realm allow (uplink tcp/25)", () => {
    const d = evaluateFlow([webOut], [noSmtp], flow({ to: { kind: "uplink", address: "203.0.113.5" }, port: 25 }));
    expect(d).toMatchObject({ allowed: false, layer: "platform", ruleId: "p-smtp" });
    expect(d.reason).toContain("no outbound mail");
  });

  it("denies the metadata address whatever the realm allows, and allows other uplink traffic", () => {
    expect(evaluateFlow([webOut], [noSmtp, noMetadata], flow({ to: { kind: "uplink", address: "169.254.169.254" }, port: 80 }))).toMatchObject({ layer: "platform", ruleId: "p-meta", allowed: false });
    expect(evaluateFlow([webOut], [noSmtp, noMetadata], flow({ to: { kind: "uplink", address: "203.0.113.5" }, port: 443 }))).toMatchObject({ layer: "realm", ruleId: "r-web-out", allowed: true });
  });

  it("reports the realm's default deny, not the platform's rule, when no realm rule allows the flow", () => {
    expect(evaluateFlow([], [noSmtp], flow({ to: { kind: "uplink", address: null }, port: 25 }))).toMatchObject({ layer: "realm", ruleId: null, allowed: false });
  });

  it("gives field errors for an icmp port, an inverted range, out-of-range ports and a VM to itself", () => {
    const vm = { kind: "vm" as const, id: "vm-web" };
    expect(ruleFieldErrors({ from: vm, to: { kind: "uplink" }, protocol: "icmp", ports: { from: 1, to: 1 } }).map((e) => e.field)).toEqual(["ports"]);
    expect(ruleFieldErrors({ from: vm, to: { kind: "uplink" }, protocol: "tcp", ports: { from: 90, to: 80 } }).map((e) => e.field)).toEqual(["ports.to"]);
    expect(ruleFieldErrors({ from: vm, to: { kind: "uplink" }, protocol: "tcp", ports: { from: 0, to: 70000 } }).map((e) => e.field)).toEqual(["ports.from", "ports.to"]);
    expect(ruleFieldErrors({ from: vm, to: vm, protocol: "any", ports: null }).map((e) => e.field)).toEqual(["to"]);
    expect(ruleFieldErrors(webToDb)).toEqual([]);
  });
});
