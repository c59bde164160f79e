import type { HostCtx } from "./host-context";
import { removeNodes } from "./xenstore";

/**
 * What a dying domain takes with it: its channels (the peers' ends fall back to unbound, as in
 * Xen), grants it made or mapped, its devices (and the backend's halves), Argo rings and its
 * xenstore trees. No checks: this runs only after destroy's checks passed.
 */
export function teardown(ctx: HostCtx, domid: number): void {
  const s = ctx.state;
  const devices = s.devices.filter((d) => d.domid === domid);
  const backendPorts = new Set(devices.map((d) => `${d.backendDomid}:${d.backendPort}`));
  const ringHandles = new Set(devices.map((d) => d.ringHandle));
  s.channels = s.channels.filter((c) => c.domid !== domid && !backendPorts.has(`${c.domid}:${c.port}`));
  for (const c of s.channels) {
    if (c.state === "interdomain" && c.remoteDomid === domid) {
      c.state = "unbound";
      delete c.remotePort;
    }
  }
  s.mappings = s.mappings.filter((m) => m.mapperDomid !== domid && m.granterDomid !== domid && !ringHandles.has(m.handle));
  s.grants = s.grants.filter((g) => g.domid !== domid);
  s.devices = s.devices.filter((d) => d.domid !== domid);
  s.argo = s.argo.filter((r) => r.domid !== domid);
  removeNodes(ctx, `/local/domain/${domid}`);
  for (const kind of ["vbd", "vif"]) removeNodes(ctx, `/local/domain/0/backend/${kind}/${domid}`);
}
