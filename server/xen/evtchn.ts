import { HypercallError } from "./errors";
import { acmGate, actorOf, derived, domainOf, principalOf, runChecks, seenBy, subjectOf, type HostCtx, type Principal } from "./host-context";
import type { Channel } from "./state";

/**
 * Event channels: allocate an unbound port for a remote domain, bind it from the other side
 * (both halves checked), send, close. A channel's label is transition(owner, the peer as the
 * owner sees it, event): a realm's channels carry its level, so binding one from another
 * realm fails the `event bind` MCS constraint.
 *
 * Threat: a covert or direct notification path between realms, and ports being stolen —
 * binding needs the remote port to be unbound and reserved for the binder, checked before XSM
 * as Xen does (EINVAL), and both directions must pass XSM.
 */

const MAX_PORT = 4095;

export function nextPort(ctx: HostCtx, domid: number): number {
  const used = new Set(ctx.state.channels.where("domid", domid).map((c) => c.port));
  for (let p = 1; p <= MAX_PORT; p++) if (!used.has(p)) return p;
  throw new HypercallError("EBUSY", `domain ${domid} has no free event channel port`);
}

function channelOf(ctx: HostCtx, domid: number, port: number): Channel {
  const c = ctx.state.channels.get(`${domid}:${port}`);
  if (!c) throw new HypercallError("EINVAL", `domain ${domid} has no event channel port ${port}`);
  return c;
}

/** A channel whose peer went away falls back to unbound (still reserved for that peer). */
export function unbind(ctx: HostCtx, c: Channel): void {
  const { remotePort: _gone, ...rest } = c;
  ctx.state.channels.put({ ...rest, state: "unbound" });
}

const channelPrincipal = (c: Channel): Principal => ({ label: c.label, domid: c.domid });

/** EVTCHNOP_alloc_unbound: a port in the actor, reserved for `remoteDomid` to bind. */
export function allocUnbound(ctx: HostCtx, subjectLabel: string, domid: number, remoteDomid: number): { port: number } {
  const subject = subjectOf(ctx, subjectLabel);
  const { actor, flags } = actorOf(ctx, subject, domid);
  const peer = principalOf(domainOf(ctx, remoteDomid));
  const label = derived(() => ctx.xsm.channelLabel(actor.label, seenBy(actor, peer)));
  runChecks(ctx, "evtchn.alloc-unbound", { subject, actor, peer, channel: { label, domid } }, flags);
  acmGate(ctx, { kind: "share", a: { domid, label: actor.label }, b: { domid: remoteDomid, label: peer.label }, via: "event channel" });
  const port = nextPort(ctx, domid);
  ctx.state.channels.put({ domid, port, label, state: "unbound", remoteDomid, pending: 0 });
  return { port };
}

/** EVTCHNOP_bind_interdomain: the actor binds the remote's unbound port reserved for it. */
export function bindInterdomain(ctx: HostCtx, subjectLabel: string, domid: number, remoteDomid: number, remotePort: number): { port: number } {
  const subject = subjectOf(ctx, subjectLabel);
  const { actor, flags } = actorOf(ctx, subject, domid);
  const peerDom = domainOf(ctx, remoteDomid);
  const peer = principalOf(peerDom);
  const remote = channelOf(ctx, remoteDomid, remotePort);
  if (remote.state !== "unbound" || remote.remoteDomid !== domid) {
    throw new HypercallError("EINVAL", `port ${remotePort} of domain ${remoteDomid} is not unbound for domain ${domid}`);
  }
  const label = derived(() => ctx.xsm.channelLabel(actor.label, seenBy(actor, peer)));
  runChecks(ctx, "evtchn.bind-interdomain", { subject, actor, peer, channel: { label, domid }, peerChannel: channelPrincipal(remote) }, flags);
  acmGate(ctx, { kind: "share", a: { domid, label: actor.label }, b: { domid: remoteDomid, label: peer.label }, via: "event channel" });
  const port = nextPort(ctx, domid);
  ctx.state.channels.put({ domid, port, label, state: "interdomain", remoteDomid, remotePort, pending: 0 });
  ctx.state.channels.put({ ...remote, state: "interdomain", remotePort: port });
  return { port };
}

/** EVTCHNOP_send: the sender needs `event send` on its own end's label. */
export function send(ctx: HostCtx, subjectLabel: string, domid: number, port: number): { delivered: boolean } {
  const subject = subjectOf(ctx, subjectLabel);
  const { actor, flags } = actorOf(ctx, subject, domid);
  const chan = channelOf(ctx, domid, port);
  runChecks(ctx, "evtchn.send", { subject, actor, channel: channelPrincipal(chan) }, flags);
  if (chan.state !== "interdomain" || chan.remotePort === undefined) return { delivered: false };
  const peer = channelOf(ctx, chan.remoteDomid, chan.remotePort);
  ctx.state.channels.put({ ...peer, pending: peer.pending + 1 });
  return { delivered: true };
}

/** EVTCHNOP_close: the peer's end falls back to unbound (for this domain), as in Xen. */
export function close(ctx: HostCtx, subjectLabel: string, domid: number, port: number): { port: number } {
  const subject = subjectOf(ctx, subjectLabel);
  const { actor, flags } = actorOf(ctx, subject, domid);
  const chan = channelOf(ctx, domid, port);
  runChecks(ctx, "evtchn.close", { subject, actor }, flags);
  if (ctx.state.devices.where("port", `${domid}:${port}`).length > 0) {
    throw new HypercallError("EBUSY", `port ${port} of domain ${domid} belongs to a PV device; detach the device`);
  }
  if (chan.state === "interdomain" && chan.remotePort !== undefined) {
    unbind(ctx, channelOf(ctx, chan.remoteDomid, chan.remotePort));
  }
  ctx.state.channels.delete(`${domid}:${port}`);
  return { port };
}
