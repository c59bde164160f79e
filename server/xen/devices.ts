import { READ_ONLY_CONTENT_TYPES, labelType } from "../xsm";
import { resolveBackend } from "./backends";
import { HypercallError } from "./errors";
import { nextPort } from "./evtchn";
import { freeGref, takeHandle } from "./grants";
import { acmGate, actorOf, canonicalLabel, derived, domainOf, principalOf, runChecks, seenBy, subjectOf, type HostCtx } from "./host-context";
import type { Device } from "./state";
import { removeNodes, toolstackWrite } from "./xenstore";

/**
 * PV disks (blkback) and networks (netback): the frontend must be allowed to `resource use`
 * the disk's or network's label, then the split-driver wiring runs through the same hooks as
 * any channel and grant: the frontend's unbound port for the backend, the backend binding it
 * (both halves), the backend mapping the frontend's ring page. The backend is the domain the
 * request names (a realm's driver domain), by default the platform's storage or network
 * backend domain (backends.ts), or dom0 on a host that runs none.
 *
 * Threat: a VM reaching another realm's data through its storage or network. A writable disk
 * carries its VM's realm level (realm_disk_t:s0:cX,cY), so the MCS constraint on
 * `resource use` refuses it to any other realm; shared images carry no categories
 * (shared_image_t) and are usable by all — but only ever read-only. A backend serves a frontend
 * only if FLASK lets the two bind each other's channel halves and lets the backend map the
 * frontend's ring: another realm's driver domain fails the MCS constraints there, with AVC lines.
 */

const FIRST_VBD = 51712; // xvda

type Kind = "vbd" | "vif";
/** `backendDomid`: the backend domain to connect to (default: the platform's, see backends.ts). */
export type AttachSpec = { kind: Kind; id: string; label: string; readOnly: boolean; backendDomid?: number };

export function attach(ctx: HostCtx, subjectLabel: string, domid: number, spec: AttachSpec): { device: Device } {
  const op = spec.kind === "vbd" ? "device.attach-disk" : "device.attach-net";
  const subject = subjectOf(ctx, subjectLabel);
  const { actor, flags } = actorOf(ctx, subject, domid);
  if (domid === 0) throw new HypercallError("EINVAL", "dom0 is the backend; it takes no PV frontends here");
  const label = canonicalLabel(ctx, spec.label);
  if (spec.kind === "vbd" && !spec.readOnly && READ_ONLY_CONTENT_TYPES.includes(labelType(label))) {
    throw new HypercallError("EINVAL", `disk ${spec.id} is read-only content (${label}); attach it read-only`);
  }
  if (ctx.state.devices.has(`${domid}:${spec.kind}:${spec.id}`)) {
    throw new HypercallError("EEXIST", `${spec.id} is already attached to domain ${domid}`);
  }
  if (spec.kind === "vbd" && !spec.readOnly && ctx.state.devices.where("resource", spec.id).some((d) => d.kind === "vbd" && !d.readOnly)) {
    throw new HypercallError("EBUSY", `disk ${spec.id} is attached writable to another domain`);
  }
  const backendDom = resolveBackend(ctx, spec.kind, spec.backendDomid);
  if (backendDom.domid === domid) throw new HypercallError("EINVAL", `domain ${domid} cannot be its own backend`);
  const backendDomid = backendDom.domid;
  const backend = principalOf(backendDom);
  const channel = derived(() => ctx.xsm.channelLabel(actor.label, seenBy(actor, backend)));
  const backendChannel = derived(() => ctx.xsm.channelLabel(backend.label, seenBy(backend, actor)));
  runChecks(
    ctx,
    op,
    { subject, actor, backend, resource: { label }, channel: { label: channel, domid }, backendChannel: { label: backendChannel, domid: backendDomid } },
    flags,
  );
  const what = spec.kind === "vbd" ? "block device" : "network";
  const fe = { domid, label: actor.label };
  acmGate(ctx, { kind: "use", domain: fe, resource: { id: spec.id, label, what } });
  acmGate(ctx, { kind: "share", a: fe, b: { domid: backendDomid, label: backend.label }, via: "event channel" });

  const s = ctx.state;
  const frontendPort = nextPort(ctx, domid);
  s.channels.put({ domid, port: frontendPort, label: channel, state: "unbound", remoteDomid: backendDomid, pending: 0 });
  const backendPort = nextPort(ctx, backendDomid);
  s.channels.put({ domid: backendDomid, port: backendPort, label: backendChannel, state: "interdomain", remoteDomid: domid, remotePort: frontendPort, pending: 0 });
  s.channels.put({ ...s.channels.get(`${domid}:${frontendPort}`)!, state: "interdomain", remotePort: backendPort });
  const ringGref = freeGref(ctx, domid);
  s.grants.put({ domid, gref: ringGref, granteeDomid: backendDomid, readOnly: false });
  const ringHandle = takeHandle(ctx);
  s.mappings.put({ handle: ringHandle, mapperDomid: backendDomid, granterDomid: domid, gref: ringGref, readOnly: false });
  const taken = new Set(s.devices.where("domid", domid).filter((d) => d.kind === spec.kind).map((d) => d.devid));
  let devid = spec.kind === "vbd" ? FIRST_VBD : 0;
  while (taken.has(devid)) devid += spec.kind === "vbd" ? 16 : 1;
  const device: Device = { domid, kind: spec.kind, devid, resourceId: spec.id, label, readOnly: spec.readOnly, backendDomid: backendDomid, frontendPort, backendPort, ringGref, ringHandle };
  s.devices.put(device);
  // The xenstore handshake, written by the toolstack: each end may read the other's directory.
  const fePath = `/local/domain/${domid}/device/${spec.kind}/${devid}`;
  const bePath = `/local/domain/${backendDomid}/backend/${spec.kind}/${domid}/${devid}`;
  toolstackWrite(ctx, fePath, bePath, [{ domid, perm: "n" }, { domid: backendDomid, perm: "r" }]);
  toolstackWrite(ctx, bePath, spec.id, [{ domid: backendDomid, perm: "n" }, { domid, perm: "r" }]);
  return { device };
}

export function detach(ctx: HostCtx, subjectLabel: string, domid: number, kind: Kind, id: string): { device: Device } {
  const op = kind === "vbd" ? "device.detach-disk" : "device.detach-net";
  const subject = subjectOf(ctx, subjectLabel);
  const { actor, flags } = actorOf(ctx, subject, domid);
  const device = ctx.state.devices.get(`${domid}:${kind}:${id}`);
  if (!device) throw new HypercallError("ENOENT", `${id} is not attached to domain ${domid}`);
  runChecks(ctx, op, { subject, actor, backend: principalOf(domainOf(ctx, device.backendDomid)) }, flags);
  const s = ctx.state;
  s.channels.delete(`${domid}:${device.frontendPort}`);
  s.channels.delete(`${device.backendDomid}:${device.backendPort}`);
  s.mappings.delete(device.ringHandle);
  s.grants.delete(`${domid}:${device.ringGref}`);
  s.devices.delete(`${domid}:${kind}:${id}`);
  removeNodes(ctx, `/local/domain/${domid}/device/${kind}/${device.devid}`);
  removeNodes(ctx, `/local/domain/${device.backendDomid}/backend/${kind}/${domid}/${device.devid}`);
  return { device };
}
