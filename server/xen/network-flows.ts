import { labelType } from "../xsm";
import { HypercallError } from "./errors";
import { domainOf, principalOf, runChecks, subjectOf, type HostCtx } from "./host-context";
import { evaluatePlatform, evaluateRealm, ruleSetHash, type Flow, type FlowProtocol, type PlatformRule, type RealmRule } from "./network-rules";
import type { DomainRecord } from "./state";

/**
 * A realm's network driver domain (NDVM) in the path of its guests' traffic (issue 15 part 4):
 * netfront ↔ NDVM ↔ uplink. The NDVM is a driver domain (backends.ts) that serves the vifs of
 * the realm's NDVM networks and enforces the rule table its realm loaded into it; the host
 * keeps the platform's rules, loaded by dom0 only.
 *
 * Threat: a frame crossing realms, or a flow the realm or the platform did not allow. Every flow
 * is decided in order, the first refusal deciding: FLASK (netback maps the sender's transmit
 * page and the receiver's receive page: another realm's VM, or another realm's NDVM, fails the
 * MCS constraints, with AVC lines), the topology (both guests have a vif served by this NDVM),
 * the NDVM's realm rules (default deny), the platform's rules (no realm overrides them).
 * The plane holds what the NDVM enforces (its rules, their version and hash, for the worker to
 * compare) and per-rule counters of simulated connection attempts; it is in memory, like the
 * block stores: a restarted agent starts empty and the worker loads the rules again.
 */

export type FlowLayer = "flask" | "ndvm" | "realm" | "platform";
export type FlowVerdict = { allowed: boolean; layer: FlowLayer; ruleId: string | null; reason: string; avc: string[] };
export type FlowCounter = { allowed: number; denied: number };

type RuleTable = { version: number; hash: string; rules: readonly RealmRule[] };

/** Counter keys: `flask`, `ndvm`, `realm:default`, `realm:<rule id>`, `platform:<rule id>`. */
export function counterKey(v: Pick<FlowVerdict, "layer" | "ruleId">): string {
  if (v.layer === "flask" || v.layer === "ndvm") return v.layer;
  return `${v.layer}:${v.ruleId ?? "default"}`;
}

export class FlowPlane {
  private readonly tables = new Map<number, RuleTable>();
  private readonly counters = new Map<number, Map<string, FlowCounter>>();
  private platform: { hash: string; rules: readonly PlatformRule[] } = { hash: ruleSetHash([]), rules: [] };

  tableOf(ndvmDomid: number): RuleTable | undefined {
    return this.tables.get(ndvmDomid);
  }
  setTable(ndvmDomid: number, table: RuleTable): void {
    this.tables.set(ndvmDomid, table);
  }
  platformRules(): { hash: string; rules: readonly PlatformRule[] } {
    return this.platform;
  }
  setPlatform(rules: readonly PlatformRule[]): void {
    this.platform = { hash: ruleSetHash(rules), rules };
  }
  count(ndvmDomid: number, key: string, allowed: boolean): void {
    let byKey = this.counters.get(ndvmDomid);
    if (!byKey) this.counters.set(ndvmDomid, (byKey = new Map()));
    const c = byKey.get(key) ?? { allowed: 0, denied: 0 };
    byKey.set(key, allowed ? { ...c, allowed: c.allowed + 1 } : { ...c, denied: c.denied + 1 });
  }
  countersOf(ndvmDomid: number): Record<string, FlowCounter> {
    return Object.fromEntries(this.counters.get(ndvmDomid) ?? []);
  }
  /** A destroyed NDVM's table and counters go with it. */
  forget(ndvmDomid: number): void {
    this.tables.delete(ndvmDomid);
    this.counters.delete(ndvmDomid);
  }
}

function ndvmOf(ctx: HostCtx, domid: number): DomainRecord {
  const d = domainOf(ctx, domid);
  if (labelType(d.label) !== "driver_domain_t") throw new HypercallError("EINVAL", `domain ${domid} is not a driver domain`);
  return d;
}

/** The realm's management domain (or dom0) loads the rule table its NDVM enforces. */
export function loadRules(ctx: HostCtx, plane: FlowPlane, request: { subjectLabel: string; ndvmDomid: number; version: number; rules: readonly RealmRule[] }): { version: number; hash: string } {
  const ndvm = ndvmOf(ctx, request.ndvmDomid);
  runChecks(ctx, "net.load-rules", { subject: subjectOf(ctx, request.subjectLabel), domain: principalOf(ndvm) });
  const table = { version: request.version, hash: ruleSetHash(request.rules), rules: [...request.rules] };
  plane.setTable(ndvm.domid, table);
  return { version: table.version, hash: table.hash };
}

/** The platform's rules, for every NDVM of the host: dom0 alone may load them (it owns the uplink). */
export function loadPlatformRules(ctx: HostCtx, plane: FlowPlane, request: { subjectLabel: string; rules: readonly PlatformRule[] }): { hash: string } {
  runChecks(ctx, "net.load-rules", { subject: subjectOf(ctx, request.subjectLabel), domain: principalOf(domainOf(ctx, 0)) });
  plane.setPlatform(request.rules);
  return { hash: plane.platformRules().hash };
}

/** The networks (ids) of the domain's vifs that the NDVM serves. */
function networksThrough(ctx: HostCtx, domid: number, ndvmDomid: number): string[] {
  return ctx.state.devices.where("domid", domid).filter((d) => d.kind === "vif" && d.backendDomid === ndvmDomid).map((d) => d.resourceId);
}

export type FlowRequest = {
  ndvmDomid: number;
  fromDomid: number;
  to: { kind: "vm"; domid: number } | { kind: "uplink"; address: string | null };
  protocol: FlowProtocol;
  port: number | null;
};

/** "Can x reach y on proto/port through this NDVM?" — the verdict, changing nothing. */
export function checkFlow(ctx: HostCtx, plane: FlowPlane, request: FlowRequest): FlowVerdict {
  const ndvm = ndvmOf(ctx, request.ndvmDomid);
  if (ndvm.state !== "running") return { allowed: false, layer: "ndvm", ruleId: null, reason: `the NDVM (domain ${ndvm.domid}) is ${ndvm.state}: nothing passes`, avc: [] };
  const from = domainOf(ctx, request.fromDomid);
  const to = request.to.kind === "vm" ? domainOf(ctx, request.to.domid) : null;
  try {
    runChecks(ctx, "net.flow", { backend: principalOf(ndvm), actor: principalOf(from), ...(to ? { peer: principalOf(to) } : {}) }, new Set(to ? (["writable"] as const) : []));
  } catch (error) {
    if (!(error instanceof HypercallError) || error.code !== "EACCES") throw error;
    return { allowed: false, layer: "flask", ruleId: null, reason: error.message, avc: error.avc ?? [] };
  }
  const fromNets = networksThrough(ctx, from.domid, ndvm.domid);
  if (fromNets.length === 0) return { allowed: false, layer: "ndvm", ruleId: null, reason: `domain ${from.domid} has no interface served by the NDVM`, avc: [] };
  const toNets = to ? networksThrough(ctx, to.domid, ndvm.domid) : [];
  if (to && toNets.length === 0) return { allowed: false, layer: "ndvm", ruleId: null, reason: `domain ${to.domid} has no interface served by the NDVM`, avc: [] };
  const flow: Flow = {
    from: { vmId: from.uuid, networkIds: fromNets },
    to: to ? { kind: "vm", vmId: to.uuid, networkIds: toNets } : { kind: "uplink", address: request.to.kind === "uplink" ? request.to.address : null },
    protocol: request.protocol,
    port: request.protocol === "icmp" ? null : request.port,
  };
  const table = plane.tableOf(ndvm.domid);
  const realm = evaluateRealm(table?.rules ?? [], flow);
  if (!realm.allowed) return { ...realm, reason: table ? realm.reason : "the NDVM holds no rule table yet (default deny)", avc: [] };
  return { ...(evaluatePlatform(plane.platformRules().rules, flow) ?? realm), avc: [] };
}

/** A simulated connection attempt: the same verdict, counted against the rule (or layer) that decided it. */
export function attemptConnection(ctx: HostCtx, plane: FlowPlane, request: FlowRequest): FlowVerdict {
  const verdict = checkFlow(ctx, plane, request);
  plane.count(request.ndvmDomid, counterKey(verdict), verdict.allowed);
  return verdict;
}

/** What the NDVM enforces, for the worker's comparison and the counters per rule. */
export function ndvmState(plane: FlowPlane, ndvmDomid: number): { version: number | null; hash: string | null; platformHash: string; counters: Record<string, FlowCounter> } {
  const table = plane.tableOf(ndvmDomid);
  return { version: table?.version ?? null, hash: table?.hash ?? null, platformHash: plane.platformRules().hash, counters: plane.countersOf(ndvmDomid) };
}
