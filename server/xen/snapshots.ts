import { attach, type AttachSpec } from "./devices";
import { createDomain, lifecycle, removeDomain, type DomainSpec } from "./domains";
import { HypercallError } from "./errors";
import { principalOf, runChecks, subjectOf, type HostCtx, type Principal } from "./host-context";
import { withEvent, type DomainRecord, type SavedSnapshot } from "./state";

/**
 * Snapshots (xl save -c and restore) and resizing (xl vcpu-set / mem-set).
 *
 * A snapshot is a checkpoint: the toolstack reads the domain's memory and vCPU state under the
 * save checks (mmu stat/pageinfo/map_read, hvm gethvmc, getvcpucontext, pause, log-dirty, the
 * TSC) and the domain keeps running; the image, with the list of the disks it had attached, is
 * kept on dom0's disk under the domain's own label. Reverting destroys the current domain and
 * restores the saved one (= create, under the create checks), re-attaches the devices the
 * domain has now (their backends are dom0's and outlive no domain) and brings it to the run
 * state it was saved in: a running VM reverted to a stopped snapshot ends stopped. The
 * simulated disks hold no data: a snapshot records which disks it covered and their labels.
 *
 * Threat: one realm reading, restoring or discarding another realm's saved memory. Every
 * check names the saved image's label (the guest's), so the MCS constraints refuse any other
 * realm's management domain, exactly as they refuse a save or migration of its domain.
 */

/** The least memory a running domain may be ballooned down to (the control plane's rule too: policy/everyday.ts). */
export const RUNNING_MEMORY_FLOOR_MB = 256;

function domainByUuid(ctx: HostCtx, uuid: string): DomainRecord {
  const [d] = ctx.state.domains.where("uuid", uuid);
  if (!d) throw new HypercallError("ENOENT", `no domain for VM ${uuid} on this host`);
  if (d.domid === 0) throw new HypercallError("EINVAL", "dom0 cannot be snapshotted or resized");
  return d;
}

/** A snapshot of this VM, or ENOENT (another VM's snapshot is as missing as none). */
function snapshotOf(ctx: HostCtx, snapshotId: string | undefined, uuid: string): SavedSnapshot {
  if (!snapshotId) throw new HypercallError("EINVAL", "the request names no snapshot");
  const snap = ctx.state.snapshots.get(snapshotId);
  if (!snap || snap.uuid !== uuid) throw new HypercallError("ENOENT", `no snapshot ${snapshotId} of VM ${uuid} on this host`);
  return snap;
}

const saved = (snap: SavedSnapshot): Principal => ({ label: snap.label });

export function takeSnapshot(ctx: HostCtx, subjectLabel: string, uuid: string, snapshotId: string | undefined): DomainRecord {
  if (!snapshotId) throw new HypercallError("EINVAL", "the request names no snapshot");
  const d = domainByUuid(ctx, uuid);
  runChecks(ctx, "domain.snapshot-create", { subject: subjectOf(ctx, subjectLabel), domain: principalOf(d) });
  if (ctx.state.snapshots.has(snapshotId)) throw new HypercallError("EEXIST", `snapshot ${snapshotId} exists`);
  if (d.state === "shutdown") throw new HypercallError("EINVAL", `domain ${d.domid} is shutting down; it cannot be saved`);
  const disks = ctx.state.devices
    .where("domid", d.domid)
    .filter((dev) => dev.kind === "vbd")
    .sort((a, b) => a.devid - b.devid)
    .map((dev) => ({ id: dev.resourceId, label: dev.label, readOnly: dev.readOnly }));
  ctx.state.snapshots.put({
    id: snapshotId,
    uuid: d.uuid,
    name: d.name,
    label: d.label,
    vcpus: d.vcpus,
    memoryMb: d.memoryMb,
    state: d.state,
    disks,
    fromBootId: ctx.state.bootId,
    fromDomid: d.domid,
  });
  return ctx.state.domains.put({ ...d, ...withEvent(d, `snapshot ${snapshotId}`) });
}

export function revertToSnapshot(ctx: HostCtx, subjectLabel: string, spec: DomainSpec, snapshotId: string | undefined): DomainRecord {
  const current = domainByUuid(ctx, spec.uuid);
  const snap = snapshotOf(ctx, snapshotId, spec.uuid);
  runChecks(ctx, "domain.snapshot-revert", { subject: subjectOf(ctx, subjectLabel), domain: principalOf(current), saved: saved(snap) });
  // The devices the domain has now: re-attached to the restored domain (under their own checks).
  const devices: AttachSpec[] = ctx.state.devices
    .where("domid", current.domid)
    .sort((a, b) => (a.kind === b.kind ? a.devid - b.devid : a.kind < b.kind ? -1 : 1))
    .map((dev) => ({ kind: dev.kind, id: dev.resourceId, label: dev.label, readOnly: dev.readOnly, backendDomid: dev.backendDomid }));
  removeDomain(ctx, current.domid);
  const restored = createDomain(ctx, subjectLabel, { uuid: snap.uuid, name: spec.name, label: snap.label, vcpus: snap.vcpus, memoryMb: snap.memoryMb }, "domain.create");
  for (const device of devices) attach(ctx, subjectLabel, restored.domid, device);
  let domain = ctx.state.domains.get(restored.domid)!;
  if (snap.state !== "stopped") domain = lifecycle(ctx, subjectLabel, "domain.unpause", domain.domid);
  if (snap.state === "paused") domain = lifecycle(ctx, subjectLabel, "domain.pause", domain.domid);
  return ctx.state.domains.put({ ...domain, ...withEvent(domain, `reverted to snapshot ${snap.id}`) });
}

export function deleteSnapshot(ctx: HostCtx, subjectLabel: string, uuid: string, snapshotId: string | undefined): DomainRecord | null {
  const snap = snapshotOf(ctx, snapshotId, uuid);
  runChecks(ctx, "domain.snapshot-delete", { subject: subjectOf(ctx, subjectLabel), saved: saved(snap) });
  ctx.state.snapshots.delete(snap.id);
  return ctx.state.domains.where("uuid", uuid)[0] ?? null;
}

/**
 * xl vcpu-set / mem-set. A stopped domain (built, never run) takes any size: its ceilings
 * (max_vcpus, maxmem) move with it. A running or paused one stays within the ceilings fixed
 * when it was built, and its memory above RUNNING_MEMORY_FLOOR_MB; the refusal names the field.
 */
export function resizeDomain(ctx: HostCtx, subjectLabel: string, spec: DomainSpec): DomainRecord {
  const d = domainByUuid(ctx, spec.uuid);
  runChecks(ctx, "domain.resize", { subject: subjectOf(ctx, subjectLabel), domain: principalOf(d) });
  if (d.state === "stopped") {
    return ctx.state.domains.put({
      ...d,
      vcpus: spec.vcpus,
      memoryMb: spec.memoryMb,
      maxVcpus: spec.vcpus,
      maxMemoryMb: spec.memoryMb,
      ...withEvent(d, `resize ${spec.vcpus} vCPU ${spec.memoryMb} MiB`),
    });
  }
  const maxVcpus = d.maxVcpus ?? d.vcpus;
  const maxMemoryMb = d.maxMemoryMb ?? d.memoryMb;
  if (spec.vcpus > maxVcpus) throw new HypercallError("EINVAL", `vcpus: at most ${maxVcpus} while the domain runs (its max_vcpus); stop it to add more`);
  if (spec.memoryMb > maxMemoryMb) throw new HypercallError("EINVAL", `memoryMb: at most ${maxMemoryMb} MiB while the domain runs (its maxmem); stop it to add more`);
  if (spec.memoryMb < RUNNING_MEMORY_FLOOR_MB) throw new HypercallError("EINVAL", `memoryMb: at least ${RUNNING_MEMORY_FLOOR_MB} MiB while the domain runs`);
  return ctx.state.domains.put({ ...d, vcpus: spec.vcpus, memoryMb: spec.memoryMb, maxVcpus, maxMemoryMb, ...withEvent(d, `resize ${spec.vcpus} vCPU ${spec.memoryMb} MiB`) });
}
