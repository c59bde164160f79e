import { boundBridge, sendThrough } from "./argo-bridges";
import { HypercallError } from "./errors";
import { actorOf, domainOf, principalOf, runChecks, subjectOf, type HostCtx, type Principal } from "./host-context";
import type { Flag } from "./operations";

/**
 * Argo: rings a domain registers for one partner (single source) or for anyone (wildcard),
 * and messages sent into them. `argo enable` is checked on every call; wildcard rings need
 * the host's mac-permissive option before XSM is even asked (Xen returns EPERM), then
 * `register_any_source` on xen_t (the realm policy's boolean; dontaudited while off).
 *
 * Threat: a message path between realms. `send` is checked before the destination's ring is
 * looked up, so a denied sender cannot probe which rings exist; MCS denies cross-realm sends
 * and single-source registrations.
 */

const MAX_QUEUED = 64;

export function register(ctx: HostCtx, subjectLabel: string, domid: number, port: number, partner: number | "any"): { port: number } {
  const subject = subjectOf(ctx, subjectLabel);
  const { actor, flags } = actorOf(ctx, subject, domid);
  const all = new Set<Flag>(flags);
  let peer: Principal | undefined;
  if (partner === "any") {
    if (!ctx.options.argoMacPermissive) {
      runChecks(ctx, "argo.register", { subject, actor }, all); // delegation and enable only
      throw new HypercallError("EACCES", "Argo wildcard rings need the host's argo=mac-permissive option (EPERM)");
    }
    all.add("anySource");
  } else {
    peer = principalOf(domainOf(ctx, partner));
    all.add("singleSource");
  }
  runChecks(ctx, "argo.register", { subject, actor, peer }, all);
  if (ctx.state.argo.has(`${domid}:${port}:${partner}`)) {
    throw new HypercallError("EEXIST", `domain ${domid} already has an Argo ring on port ${port} for ${partner}`);
  }
  ctx.state.argo.put({ domid, port, partner, messages: [] });
  return { port };
}

export function unregister(ctx: HostCtx, subjectLabel: string, domid: number, port: number, partner: number | "any"): { port: number } {
  const subject = subjectOf(ctx, subjectLabel);
  const { actor, flags } = actorOf(ctx, subject, domid);
  runChecks(ctx, "argo.unregister", { subject, actor }, flags);
  const key = `${domid}:${port}:${partner}`;
  if (!ctx.state.argo.has(key)) throw new HypercallError("ENOENT", `domain ${domid} has no Argo ring on port ${port} for ${partner}`);
  ctx.state.argo.delete(key);
  return { port };
}

/**
 * sendv: enable, then src → dst : argo send, and only then the ring lookup (ECONNREFUSED →
 * ENOENT). A channel an agreement's bridge carries (argo-bridges.ts) goes through the bridge
 * instead: src → bridge : argo send, then the bridge's binding.
 */
export function sendv(ctx: HostCtx, subjectLabel: string, domid: number, toDomid: number, port: number, message: string): { delivered: boolean } {
  const bridge = boundBridge(ctx, domid, toDomid, port);
  if (bridge) return sendThrough(ctx, subjectLabel, bridge, domid, toDomid, port, message);
  const subject = subjectOf(ctx, subjectLabel);
  const { actor, flags } = actorOf(ctx, subject, domid);
  const peer = principalOf(domainOf(ctx, toDomid));
  runChecks(ctx, "argo.send", { subject, actor, peer }, flags);
  const ring = ctx.state.argo.get(`${toDomid}:${port}:${domid}`) ?? ctx.state.argo.get(`${toDomid}:${port}:any`);
  if (!ring) throw new HypercallError("ENOENT", `no Argo ring of domain ${toDomid} on port ${port} accepts domain ${domid} (ECONNREFUSED)`);
  if (ring.messages.length >= MAX_QUEUED) throw new HypercallError("EBUSY", `Argo ring ${toDomid}:${port} is full (EAGAIN)`);
  ctx.state.argo.put({ ...ring, messages: [...ring.messages, { from: domid, text: message }] });
  return { delivered: true };
}
