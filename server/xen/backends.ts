import { DOM0_LABEL, NET_BACKEND_LABEL, STORAGE_BACKEND_LABEL, isTrustedBackend, labelType } from "../xsm";
import { createDomain, lifecycle } from "./domains";
import { HypercallError } from "./errors";
import { domainOf, type HostCtx } from "./host-context";
import type { DomainRecord } from "./state";

/**
 * Backend domains: who serves a frontend's PV disk (blkback) or network (netback). The host
 * boots two platform backends beside dom0 (storage_backend_t, net_backend_t: trusted, minimal,
 * serving every realm); a realm builds its own driver domains (driver_domain_t at the realm's
 * level: untrusted, serving only that realm — the MCS constraints on `event bind` and `grant
 * map` decide it when a device connects, devices.ts). A driver domain is an ordinary domain
 * built by the realm's management domain through domain.create; what makes it a backend is its
 * type. The same model serves a realm's network driver domain (NDVM): a driver domain that
 * frontends' vifs connect to.
 *
 * Threat: a frontend handing its pages and events to a domain that may not have them — another
 * realm's driver domain, or a domain that is no backend at all. A backend is named by domid and
 * checked to be a running backend-typed domain here; whether it may serve this frontend is
 * FLASK's decision alone, during the handshake.
 */

export type DeviceKind = "vbd" | "vif";

/** Fixed uuids of the platform's backend domains (one of each per host). */
export const PLATFORM_BACKENDS: Readonly<Record<DeviceKind, { uuid: string; name: string; label: string }>> = {
  vbd: { uuid: "00000000-0000-0000-0000-00000000b10c", name: "storage-backend", label: STORAGE_BACKEND_LABEL },
  vif: { uuid: "00000000-0000-0000-0000-0000000000e7", name: "net-backend", label: NET_BACKEND_LABEL },
};

/** Which backend types may serve which device kind (a driver domain serves both). */
const SERVES: Readonly<Record<string, readonly DeviceKind[]>> = {
  dom0_t: ["vbd", "vif"],
  storage_backend_t: ["vbd"],
  net_backend_t: ["vif"],
  driver_domain_t: ["vbd", "vif"],
};

export type BackendInfo = { domid: number; uuid: string; name: string; label: string; serves: readonly DeviceKind[]; isTrusted: boolean; state: DomainRecord["state"] };

export function isBackendDomain(d: DomainRecord): boolean {
  return Object.hasOwn(SERVES, labelType(d.label));
}

export function backendInfo(d: DomainRecord): BackendInfo {
  return { domid: d.domid, uuid: d.uuid, name: d.name, label: d.label, serves: SERVES[labelType(d.label)] ?? [], isTrusted: isTrustedBackend(d.label), state: d.state };
}

/**
 * Boot: dom0 builds and starts the platform's storage and network backends (idempotent: a
 * backend already running is kept). Returns their domids.
 */
export function startPlatformBackends(ctx: HostCtx): Record<DeviceKind, number> {
  const out = {} as Record<DeviceKind, number>;
  for (const kind of ["vbd", "vif"] as const) {
    const spec = PLATFORM_BACKENDS[kind];
    let [dom] = ctx.state.domains.where("uuid", spec.uuid);
    if (!dom) dom = createDomain(ctx, DOM0_LABEL, { ...spec, vcpus: 1, memoryMb: 256 });
    if (dom.state !== "running") dom = lifecycle(ctx, DOM0_LABEL, "domain.start", dom.domid);
    out[kind] = dom.domid;
  }
  return out;
}

/**
 * The backend that will serve a `kind` device: the one named, or by default the platform's
 * backend of that kind when the host runs it (dom0 otherwise, as before backend domains).
 */
export function resolveBackend(ctx: HostCtx, kind: DeviceKind, backendDomid: number | undefined): DomainRecord {
  if (backendDomid === undefined) {
    const [platform] = ctx.state.domains.where("uuid", PLATFORM_BACKENDS[kind].uuid);
    return platform && platform.state === "running" ? platform : domainOf(ctx, 0);
  }
  const d = domainOf(ctx, backendDomid);
  if (!(SERVES[labelType(d.label)] ?? []).includes(kind)) throw new HypercallError("EINVAL", `domain ${backendDomid} is not a ${kind} backend`);
  if (d.state !== "running") throw new HypercallError("EINVAL", `backend domain ${backendDomid} is ${d.state}`);
  return d;
}

/** The backend domains on the host (dom0 included), by domid: the toolstack's view, unfiltered. */
export function listBackends(ctx: HostCtx): BackendInfo[] {
  return [...ctx.state.domains.rows()].filter(isBackendDomain).sort((a, b) => a.domid - b.domid).map(backendInfo);
}
