import type { SecurityServer } from "./security-server";

/**
 * Derived labels (sid, self_sid, target_sid, channel labels), for the simulated hypervisor. A domain carries `sid`,
 * `selfSid` and (device models only) `targetSid`; event channels get their own label.
 */

/** self_sid = transition(sid, sid, domain): the target label when a domain acts on itself. */
export function selfSid(server: SecurityServer, sid: number): number {
  return server.transitionSid(sid, sid, "domain");
}

/** target_sid = transition(guest.sid, dm.sid, domain): the guest as its device model sees it. */
export function targetSid(server: SecurityServer, guestSid: number, dmSid: number): number {
  return server.transitionSid(guestSid, dmSid, "domain");
}

/** An event channel's label: transition(source sid, the peer's label as seen by the source, event). */
export function eventChannelSid(server: SecurityServer, sourceSid: number, peerSid: number): number {
  return server.transitionSid(sourceSid, peerSid, "event");
}

export interface LabelledDomain {
  domid: number;
  sid: number;
  selfSid: number;
  /** Set on a device-model domain after set_target. */
  target?: { domid: number; targetSid: number };
}

/**
 * Which label `actor` sees when it acts on `object`: its self label when acting on itself,
 * the target label when acting on its own device-model target, otherwise the object's sid.
 */
export function objectSidFor(actor: LabelledDomain, object: LabelledDomain): number {
  if (actor.domid === object.domid) return actor.selfSid;
  if (actor.target && actor.target.domid === object.domid) return actor.target.targetSid;
  return object.sid;
}
