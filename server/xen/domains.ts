import { saveDomain } from "./migrate";
import { deleteSnapshot, resizeDomain, revertToSnapshot, takeSnapshot } from "./snapshots";
import type { DomainAction, DomainState, SavedImage } from "./types";
import { labelType } from "../xsm";
import type { AcmResource } from "./acm/module";
import { HypercallError } from "./errors";
import {
  acmGate,
  canonicalLabel,
  derived,
  domainOf,
  principalOf,
  runChecks,
  seenBy,
  subjectOf,
  type HostCtx,
  type Principal,
} from "./host-context";
import type { Flag, OperationName } from "./operations";
import { withEvent, type DomainRecord } from "./state";
import { teardown } from "./teardown";
import { createDomainNode } from "./xenstore";

/**
 * Domain lifecycle hooks: createdomain and the build (with the init_seclabel relabel), the
 * pause/unpause/shutdown/destroy domctls, getdomaininfo and the filtered list.
 *
 * Threat: a realm's management domain acting on another realm's domains. Every hook runs the
 * operation table's checks with the request's subject before it touches the state; the MCS
 * constraints of the realm policy make those checks fail across realms.
 */

export type DomainSpec = { uuid: string; name: string; label: string; initLabel?: string; vcpus: number; memoryMb: number };
export type CreateOp = "domain.create" | "domain.restore" | "domain.migrate-in";

/** XEN_DOMCTL_createdomain and libxl's build; the domain is left paused (never unpaused: "stopped"). */
export function createDomain(ctx: HostCtx, subjectLabel: string, spec: DomainSpec, op: CreateOp = "domain.create"): DomainRecord {
  const seclabel = canonicalLabel(ctx, spec.label);
  const build = spec.initLabel ? canonicalLabel(ctx, spec.initLabel) : seclabel;
  // flask_domain_create: only the boot path may create dom0; a second one is EINVAL.
  if (labelType(seclabel) === "dom0_t" || labelType(build) === "dom0_t") {
    throw new HypercallError("EINVAL", "dom0_t is a singleton: a second dom0 cannot be created");
  }
  if (ctx.state.domains.where("uuid", spec.uuid).length > 0) throw new HypercallError("EEXIST", `a domain with uuid ${spec.uuid} exists`);
  const subject = subjectOf(ctx, subjectLabel);
  const ids = ctx.state.ids.get();
  const domid = ids.nextDomid;
  const provisional: DomainRecord = {
    domid,
    uuid: spec.uuid,
    name: spec.name,
    label: build,
    selfLabel: derived(() => ctx.xsm.selfLabel(build)),
    state: "stopped",
    vcpus: spec.vcpus,
    memoryMb: spec.memoryMb,
    history: [],
  };
  const buildP: Principal = principalOf(provisional);
  // Console and xenstore channels live in the new domain, for the subject (their backend).
  const channel = derived(() => ctx.xsm.channelLabel(build, seenBy(buildP, subject)));
  const flags = new Set<Flag>(build !== seclabel ? ["relabel"] : []);
  runChecks(ctx, op, { subject, build: buildP, seclabel: { label: seclabel, domid }, channel: { label: channel, domid } }, flags);

  const domain: DomainRecord = {
    ...provisional,
    label: seclabel,
    selfLabel: build === seclabel ? provisional.selfLabel : derived(() => ctx.xsm.selfLabel(seclabel)),
    history: [build === seclabel ? op.slice("domain.".length) : `${op.slice("domain.".length)} (built as ${build}, relabelled to ${seclabel})`],
  };
  acmGate(ctx, { kind: "share", a: { domid, label: seclabel }, b: { domid: subject.domid ?? 0, label: subject.label }, via: "event channel" });
  ctx.state.ids.set({ ...ids, nextDomid: domid + 1 });
  ctx.state.domains.put(domain);
  for (const port of [1, 2]) {
    ctx.state.channels.put({ domid, port, label: channel, state: "unbound", remoteDomid: subject.domid ?? 0, pending: 0 });
  }
  createDomainNode(ctx, domid);
  return op !== "domain.create" ? startDomain(ctx, domain, "unpause") : domain;
}

const devicesOf = (ctx: HostCtx, domid: number): AcmResource[] =>
  ctx.state.devices
    .where("domid", domid)
    .sort((a, b) => (a.kind === b.kind ? a.devid - b.devid : a.kind < b.kind ? -1 : 1))
    .map((d) => ({ id: d.resourceId, label: d.label, what: d.kind === "vbd" ? "block device" : "network" }));

/** The ACM admits the domain (Chinese Wall, STE on its devices) at its first unpause. */
function startDomain(ctx: HostCtx, d: DomainRecord, event: string): DomainRecord {
  acmGate(ctx, { kind: "start", domain: { domid: d.domid, label: d.label }, resources: devicesOf(ctx, d.domid) });
  return ctx.state.domains.put({ ...d, state: "running", ...withEvent(d, event) });
}

type LifecycleOp = Extract<OperationName, "domain.start" | "domain.unpause" | "domain.resume" | "domain.pause" | "domain.stop" | "domain.reboot">;

const TRANSITIONS: Record<LifecycleOp, { from: DomainState[]; to: DomainState; event: string }> = {
  "domain.start": { from: ["paused", "stopped"], to: "running", event: "unpause" },
  "domain.unpause": { from: ["paused", "stopped"], to: "running", event: "unpause" },
  "domain.resume": { from: ["paused"], to: "running", event: "resume" },
  "domain.pause": { from: ["running"], to: "paused", event: "pause" },
  "domain.stop": { from: ["running", "paused"], to: "stopped", event: "shutdown" },
  "domain.reboot": { from: ["running", "paused"], to: "running", event: "reboot" },
};

/** A domain the toolstack may control: dom0 is not (it runs the toolstack). */
function controlled(ctx: HostCtx, domid: number): DomainRecord {
  const d = domainOf(ctx, domid);
  if (domid === 0) throw new HypercallError("EINVAL", "dom0 cannot be controlled through the toolstack");
  return d;
}

export function lifecycle(ctx: HostCtx, subjectLabel: string, op: LifecycleOp, domid: number): DomainRecord {
  const d = controlled(ctx, domid);
  runChecks(ctx, op, { subject: subjectOf(ctx, subjectLabel), domain: principalOf(d) });
  const t = TRANSITIONS[op];
  if (!t.from.includes(d.state)) throw new HypercallError("EINVAL", `domain ${domid} is ${d.state}; ${t.event} needs ${t.from.join(" or ")}`);
  if (t.to === "running" && op !== "domain.reboot") return startDomain(ctx, d, t.event);
  return ctx.state.domains.put({ ...d, state: t.to, ...withEvent(d, t.event) });
}

/** XEN_DOMCTL_destroydomain: everything the domain held goes with it; the ACM releases its wall. */
export function destroyDomain(ctx: HostCtx, subjectLabel: string, domid: number): void {
  const d = controlled(ctx, domid);
  runChecks(ctx, "domain.destroy", { subject: subjectOf(ctx, subjectLabel), domain: principalOf(d) });
  removeDomain(ctx, domid);
}

/** Tears a domain down after its checks passed (destroy, save, migrate-out). */
export function removeDomain(ctx: HostCtx, domid: number): void {
  teardown(ctx, domid);
  acmGate(ctx, { kind: "destroy", domid });
  ctx.state.domains.delete(domid);
}

/** XEN_DOMCTL_getdomaininfo on one domain. */
export function getDomainInfo(ctx: HostCtx, subjectLabel: string, domid: number): DomainRecord {
  const d = domainOf(ctx, domid);
  runChecks(ctx, "domain.getdomaininfo", { subject: subjectOf(ctx, subjectLabel), domain: principalOf(d) });
  return d;
}

/**
 * Listing: the subject must be allowed getdomaininfo on DOMID_XEN; then every domain it may
 * not getdomaininfo is left out silently (the realm policy dontaudits those denials).
 */
export function listDomains(ctx: HostCtx, subjectLabel: string, op: "domain.list" | "host.status" = "domain.list"): DomainRecord[] {
  const subject = subjectOf(ctx, subjectLabel);
  runChecks(ctx, op, { subject });
  const byDomid = [...ctx.state.domains.rows()].sort((a, b) => a.domid - b.domid);
  return byDomid.filter((d) => {
    try {
      runChecks(ctx, "domain.getdomaininfo", { subject, domain: principalOf(d) });
      return true;
    } catch (error) {
      if (error instanceof HypercallError && error.code === "EACCES") return false;
      throw error;
    }
  });
}

/** The `domain.*` operations: one per domain action. */
export type DomainOperation = `domain.${DomainAction}`;

/**
 * The hook behind each domain operation, with the request's subject: create (and its restore
 * and migrate-in forms), the lifecycle domctls, destroy, save and migrate-out, resize and the
 * snapshots (snapshots.ts). The VM is named by its uuid; every operation but the create forms
 * and discarding a snapshot needs its domain on this host.
 */
export function domainOperation(
  ctx: HostCtx,
  subjectLabel: string,
  op: DomainOperation,
  spec: DomainSpec,
  destination?: string,
  snapshotId?: string,
): { domain: DomainRecord | null; image?: SavedImage } {
  switch (op) {
    case "domain.create":
    case "domain.restore":
    case "domain.migrate-in":
      return { domain: createDomain(ctx, subjectLabel, spec, op) };
    case "domain.snapshot-delete":
      // The saved image outlives its domain: discarding it needs no domain on the host.
      return { domain: deleteSnapshot(ctx, subjectLabel, spec.uuid, snapshotId) };
    default:
      break;
  }
  const [existing] = ctx.state.domains.where("uuid", spec.uuid);
  if (!existing) throw new HypercallError("ENOENT", `no domain for VM ${spec.uuid} on this host`);
  switch (op) {
    case "domain.start":
    case "domain.unpause":
    case "domain.resume":
    case "domain.pause":
    case "domain.stop":
    case "domain.reboot":
      return { domain: lifecycle(ctx, subjectLabel, op, existing.domid) };
    case "domain.destroy":
      destroyDomain(ctx, subjectLabel, existing.domid);
      return { domain: null };
    case "domain.save":
    case "domain.migrate-out":
      return { domain: null, image: saveDomain(ctx, subjectLabel, existing.domid, op, destination) };
    case "domain.resize":
      return { domain: resizeDomain(ctx, subjectLabel, spec) };
    case "domain.snapshot-create":
      return { domain: takeSnapshot(ctx, subjectLabel, spec.uuid, snapshotId) };
    case "domain.snapshot-revert":
      return { domain: revertToSnapshot(ctx, subjectLabel, spec, snapshotId) };
  }
}
