import { unbind } from "./evtchn";
import type { HostCtx } from "./host-context";
import { removeNodes } from "./xenstore";

/**
 * What a dying domain takes with it: its channels (the peers' ends fall back to unbound, as in
 * Xen), grants it made or mapped, its devices (and the backend's halves), Argo rings and its
 * xenstore trees; if it is a backend domain, the devices it served go too (the frontends see
 * their backend vanish, as when a Xen driver domain dies). No checks: this runs only after
 * destroy's checks passed. Everything is found
 * through the tables' per-domain indexes: the cost is the domain's own objects, not the host's.
 */
export function teardown(ctx: HostCtx, domid: number): void {
  const s = ctx.state;
  const devices = s.devices.where("domid", domid);
  for (const d of devices) {
    s.channels.delete(`${d.backendDomid}:${d.backendPort}`);
    s.mappings.delete(d.ringHandle);
  }
  for (const d of s.devices.where("backend", domid)) {
    if (d.domid === domid) continue;
    s.channels.delete(`${d.domid}:${d.frontendPort}`);
    s.grants.delete(`${d.domid}:${d.ringGref}`);
    s.devices.delete(`${d.domid}:${d.kind}:${d.resourceId}`);
    removeNodes(ctx, `/local/domain/${d.domid}/device/${d.kind}/${d.devid}`);
  }
  for (const c of s.channels.where("domid", domid)) s.channels.delete(`${c.domid}:${c.port}`);
  for (const c of s.channels.where("remoteDomid", domid)) if (c.state === "interdomain") unbind(ctx, c);
  for (const m of s.mappings.where("domid", domid)) s.mappings.delete(m.handle);
  for (const g of s.grants.where("domid", domid)) s.grants.delete(`${g.domid}:${g.gref}`);
  for (const d of devices) s.devices.delete(`${d.domid}:${d.kind}:${d.resourceId}`);
  for (const r of s.argo.where("domid", domid)) s.argo.delete(`${r.domid}:${r.port}:${r.partner}`);
  // An agreement's bridge is bound to the domain: it goes with it (queued messages dropped).
  for (const b of s.bridges.where("domid", domid)) s.bridges.delete(b.id);
  removeNodes(ctx, `/local/domain/${domid}`);
  for (const backendDomid of new Set([0, ...devices.map((d) => d.backendDomid)])) {
    for (const kind of ["vbd", "vif"]) removeNodes(ctx, `/local/domain/${backendDomid}/backend/${kind}/${domid}`);
  }
}
