import { bridgeLabel } from "../xsm";
import { HypercallError } from "./errors";
import { actorOf, canonicalLabel, domainOf, principalOf, runChecks, subjectOf, type HostCtx, type Principal } from "./host-context";
import type { ArgoBridge } from "./state";

/**
 * Cross-realm sharing agreements on the host (issue 15 part 5): an Argo *bridge*, a hypervisor
 * object dom0 adds for one agreement, bound to exactly (source domid, destination domid, port,
 * one way or both) and labelled `system_u:object_r:ivc_bridge_t:s0:<A ∪ B>` — the only label
 * that carries both realms' categories; no realm domain ever does.
 *
 * Threat: a message path between realms nobody agreed to. Without a bridge a cross-realm send is
 * `x → y : argo send`, which the realm policy's MCS constraint (`l1 eq l2`) denies, with an AVC
 * line. Through a bridge FLASK checks `x → bridge : argo send`: MCS allows it only when x's level
 * is dominated by the bridge's (`t2 == ivc_bridge_t and l1 domby l2`), so a third realm is
 * refused by FLASK even if it names the bridge; then the bridge's binding (exact domids, port,
 * direction) refuses A's other domains and the reverse of a one-way agreement with EPERM. When
 * dom0 adds the bridge, each receiving domain's ring is bound to it (`y → bridge : argo
 * register_single_source`, MCS again). Removing the bridge (or destroying either domain, see
 * teardown.ts) drops its queued messages, and the next send is `x → y` again: denied by FLASK.
 * Bridges are rows of the host's journaled state: they survive an agent restart. Thousands of
 * agreements are thousands of bridge objects (SIDs), never a policy change or a boolean.
 */

const MAX_QUEUED = 64;

export type BridgeSpec = { id: string; fromDomid: number; toDomid: number; port: number; twoWay: boolean };
export type BridgeView = Omit<ArgoBridge, "queue"> & { queued: number };
export type BridgeSendResult = { delivered: boolean; bridgeId: string | null; error: { code: string; message: string } | null };

const view = ({ queue, ...b }: ArgoBridge): BridgeView => ({ ...b, queued: queue.length });
const bridgePrincipal = (b: Pick<ArgoBridge, "label">): Principal => ({ label: b.label });

/** dom0 adds the agreement's bridge; the destination (and, two-way, the source) binds its ring to it. */
export function createBridge(ctx: HostCtx, subjectLabel: string, spec: BridgeSpec): BridgeView {
  const subject = subjectOf(ctx, subjectLabel);
  const from = domainOf(ctx, spec.fromDomid);
  const to = domainOf(ctx, spec.toDomid);
  if (from.domid === to.domid) throw new HypercallError("EINVAL", "an Argo bridge joins two different domains");
  const label = canonicalLabel(ctx, bridgeLabel(from.label, to.label));
  runChecks(ctx, "bridge.create", { subject, resource: { label }, peer: principalOf(to), actor: principalOf(from) }, new Set(spec.twoWay ? (["writable"] as const) : []));
  if (ctx.state.bridges.has(spec.id)) throw new HypercallError("EEXIST", `Argo bridge ${spec.id} exists`);
  const row: ArgoBridge = { id: spec.id, label, fromDomid: from.domid, toDomid: to.domid, port: spec.port, twoWay: spec.twoWay, delivered: 0, refused: 0, queue: [] };
  ctx.state.bridges.put(row);
  return view(row);
}

/** dom0 removes the bridge: queued messages are dropped; the channel is gone at once. */
export function destroyBridge(ctx: HostCtx, subjectLabel: string, id: string): { id: string; dropped: number } {
  const subject = subjectOf(ctx, subjectLabel);
  const b = ctx.state.bridges.get(id);
  if (!b) throw new HypercallError("ENOENT", `no Argo bridge ${id}`);
  runChecks(ctx, "bridge.destroy", { subject, resource: bridgePrincipal(b) });
  ctx.state.bridges.delete(id);
  return { id, dropped: b.queue.length };
}

/** The bridges the subject may see (filtered silently, as Xen filters a domain listing): dom0 sees all. */
export function listBridges(ctx: HostCtx, subjectLabel: string): BridgeView[] {
  const subject = subjectOf(ctx, subjectLabel);
  const visible = [...ctx.state.bridges.rows()].filter((b) => {
    try {
      runChecks(ctx, "bridge.list", { subject, resource: bridgePrincipal(b) });
      return true;
    } catch (error) {
      if (error instanceof HypercallError && error.code === "EACCES") return false;
      throw error;
    }
  });
  return visible.map(view).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Whether the bridge carries domid → toDomid on port (its binding: exact pair, port, direction). */
export function bridgeCarries(b: Pick<ArgoBridge, "fromDomid" | "toDomid" | "port" | "twoWay">, domid: number, toDomid: number, port: number): boolean {
  if (b.port !== port) return false;
  if (b.fromDomid === domid && b.toDomid === toDomid) return true;
  return b.twoWay && b.fromDomid === toDomid && b.toDomid === domid;
}

/** The bridge bound to exactly this channel, if any (only the sender's own bridges are looked at). */
export function boundBridge(ctx: HostCtx, domid: number, toDomid: number, port: number): ArgoBridge | undefined {
  return ctx.state.bridges.where("domid", domid).find((b) => bridgeCarries(b, domid, toDomid, port));
}

function describe(b: ArgoBridge): string {
  return `domain ${b.fromDomid} ${b.twoWay ? "↔" : "→"} domain ${b.toDomid} on port ${b.port}`;
}

/**
 * A send through a bridge, as sendv makes it when the channel has one (argo.ts) or as a test
 * send names it: FLASK (`actor → bridge : argo send`), then the binding, then the ring. Throws
 * on refusal (the caller's transaction is undone); `deliverCounted` keeps the count instead.
 */
export function sendThrough(ctx: HostCtx, subjectLabel: string, b: ArgoBridge, domid: number, toDomid: number, port: number, message: string): { delivered: true } {
  const subject = subjectOf(ctx, subjectLabel);
  const { actor, flags } = actorOf(ctx, subject, domid);
  runChecks(ctx, "bridge.send", { subject, actor, resource: bridgePrincipal(b) }, flags);
  if (!bridgeCarries(b, domid, toDomid, port)) {
    throw new HypercallError("EPERM", `Argo bridge ${b.id} carries ${describe(b)}; domain ${domid} → domain ${toDomid} on port ${port} is not its channel`);
  }
  if (b.queue.length >= MAX_QUEUED) throw new HypercallError("EBUSY", `Argo ring of domain ${toDomid} behind bridge ${b.id} is full (EAGAIN)`);
  ctx.state.bridges.put({ ...b, delivered: b.delivered + 1, queue: [...b.queue, { from: domid, to: toDomid, text: message }] });
  return { delivered: true };
}

/**
 * The worker's test send (and the hypervisor tests'): a message from domid to toDomid through
 * the named bridge (or the one bound to the channel), received at once by the destination's
 * ring reader, and counted on the bridge as delivered or refused. A refusal is an answer here,
 * not an error, so the count survives; FLASK's AVC lines are in the operation's log either way.
 * Without any bridge the send is the plain Argo one (`x → y`), refused by MCS across realms.
 */
export function testSend(ctx: HostCtx, subjectLabel: string, request: { bridgeId?: string; fromDomid: number; toDomid: number; port: number; message: string }): BridgeSendResult {
  const named = request.bridgeId === undefined ? boundBridge(ctx, request.fromDomid, request.toDomid, request.port) : ctx.state.bridges.get(request.bridgeId);
  if (request.bridgeId !== undefined && !named) throw new HypercallError("ENOENT", `no Argo bridge ${request.bridgeId}`);
  if (!named) {
    // No bridge: the plain check, x → y : argo send (MCS denies another realm's domain).
    const subject = subjectOf(ctx, subjectLabel);
    const { actor, flags } = actorOf(ctx, subject, request.fromDomid);
    try {
      runChecks(ctx, "argo.send", { subject, actor, peer: principalOf(domainOf(ctx, request.toDomid)) }, flags);
    } catch (error) {
      if (error instanceof HypercallError) return { delivered: false, bridgeId: null, error: { code: error.code, message: error.message } };
      throw error;
    }
    return { delivered: false, bridgeId: null, error: { code: "ENOENT", message: `no Argo bridge carries domain ${request.fromDomid} → domain ${request.toDomid} on port ${request.port} (ECONNREFUSED)` } };
  }
  try {
    sendThrough(ctx, subjectLabel, named, request.fromDomid, request.toDomid, request.port, request.message);
    const after = ctx.state.bridges.get(named.id)!;
    // The destination's ring reader takes the message (a guest-side read, no hypercall).
    ctx.state.bridges.put({ ...after, queue: after.queue.slice(0, -1) });
    return { delivered: true, bridgeId: named.id, error: null };
  } catch (error) {
    if (!(error instanceof HypercallError)) throw error;
    const current = ctx.state.bridges.get(named.id)!;
    ctx.state.bridges.put({ ...current, refused: current.refused + 1 });
    return { delivered: false, bridgeId: named.id, error: { code: error.code, message: error.message } };
  }
}
