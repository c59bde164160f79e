import type { ArgoRequest, DeviceRequest, EvtchnRequest, GrantRequest, XenstoreRequest } from "../contracts/agent";
import { argo, devices, evtchn, grants, xenstoreOp, type HostCtx, type OperationName } from "../xen";

/**
 * Maps each validated hypercall request (the wire contract) to its hook in the simulated
 * hypervisor. The switches are exhaustive over the contract's actions (a new action without a
 * case does not compile, and `operationOf` only compiles while every wire action names one of
 * the hypervisor's operations); every hook runs its operation's checks from the table first.
 */

export type HypercallEndpoint = "evtchn" | "grant" | "xenstore" | "argo" | "device";
export type HypercallRequest =
  | { endpoint: "evtchn"; body: EvtchnRequest }
  | { endpoint: "grant"; body: GrantRequest }
  | { endpoint: "xenstore"; body: XenstoreRequest }
  | { endpoint: "argo"; body: ArgoRequest }
  | { endpoint: "device"; body: DeviceRequest };

export const operationOf = (r: HypercallRequest): OperationName => `${r.endpoint}.${r.body.action}` as OperationName;

const unreachable = (x: never): never => {
  throw new Error(`unhandled action ${JSON.stringify(x)}`);
};

export function dispatch(ctx: HostCtx, r: HypercallRequest): Record<string, unknown> {
  switch (r.endpoint) {
    case "evtchn":
      return evtchnCall(ctx, r.body);
    case "grant":
      return grantCall(ctx, r.body);
    case "xenstore":
      return xenstoreOp(ctx, r.body.subjectLabel, r.body);
    case "argo":
      return argoCall(ctx, r.body);
    case "device":
      return deviceCall(ctx, r.body);
  }
}

function evtchnCall(ctx: HostCtx, b: EvtchnRequest): Record<string, unknown> {
  switch (b.action) {
    case "alloc-unbound":
      return evtchn.allocUnbound(ctx, b.subjectLabel, b.domid, b.remoteDomid);
    case "bind-interdomain":
      return evtchn.bindInterdomain(ctx, b.subjectLabel, b.domid, b.remoteDomid, b.remotePort);
    case "send":
      return evtchn.send(ctx, b.subjectLabel, b.domid, b.port);
    case "close":
      return evtchn.close(ctx, b.subjectLabel, b.domid, b.port);
    default:
      return unreachable(b);
  }
}

function grantCall(ctx: HostCtx, b: GrantRequest): Record<string, unknown> {
  switch (b.action) {
    case "grant-access":
      return grants.grantAccess(ctx, b.subjectLabel, b.domid, b.granteeDomid, b.readOnly);
    case "end-access":
      return grants.endAccess(ctx, b.subjectLabel, b.domid, b.gref);
    case "map":
      return grants.map(ctx, b.subjectLabel, b.domid, b.granterDomid, b.gref, b.readOnly);
    case "unmap":
      return grants.unmap(ctx, b.subjectLabel, b.domid, b.handle);
    case "copy":
      return grants.copy(ctx, b.subjectLabel, b.domid, b.source, b.dest);
    default:
      return unreachable(b);
  }
}

function argoCall(ctx: HostCtx, b: ArgoRequest): Record<string, unknown> {
  switch (b.action) {
    case "register":
      return argo.register(ctx, b.subjectLabel, b.domid, b.port, b.partner);
    case "unregister":
      return argo.unregister(ctx, b.subjectLabel, b.domid, b.port, b.partner);
    case "send":
      return argo.sendv(ctx, b.subjectLabel, b.domid, b.toDomid, b.port, b.message);
    default:
      return unreachable(b);
  }
}

function deviceCall(ctx: HostCtx, b: DeviceRequest): Record<string, unknown> {
  switch (b.action) {
    case "attach-disk":
      return devices.attach(ctx, b.subjectLabel, b.domid, { kind: "vbd", ...b.disk, backendDomid: b.backendDomid });
    case "detach-disk":
      return devices.detach(ctx, b.subjectLabel, b.domid, "vbd", b.diskId);
    case "attach-net":
      return devices.attach(ctx, b.subjectLabel, b.domid, { kind: "vif", ...b.network, readOnly: false, backendDomid: b.backendDomid });
    case "detach-net":
      return devices.detach(ctx, b.subjectLabel, b.domid, "vif", b.networkId);
    default:
      return unreachable(b);
  }
}
