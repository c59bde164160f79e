import type { HostStatusReply } from "../contracts/agent";
import { transaction, type Db } from "../db/client";
import { stepKey } from "../policy/plan";
import { recordDecision } from "../repositories/audit";
import {
  unsafeDeleteDriverDomain,
  unsafeDevicesToReattach,
  unsafeDriverDomainsOnHost,
  unsafeMarkServedDevicesDetached,
  unsafeMarkServedDevicesReattaching,
  unsafeNoteDriverDomain,
  unsafeSettleDriverDomain,
  unsafeSettleReattach,
  type DeviceToReattach,
  type DriverDomainState,
  type DriverDomainWork,
} from "../repositories/driver-domains";
import { driverDomainLabel, managementLabel, realmDiskLabel, realmLevel, realmNetLabel } from "../xsm";
import type { AgentClient, AgentTarget } from "./agent-client";

/**
 * A host's driver domains, each poll (issue 15 part 3): the rows the realms asked for are
 * built (domain.create, then start) as the realm's own management domain — so the host's FLASK
 * policy, not this code, decides that a realm can only build a driver domain at its own level —
 * and a row marked removing is destroyed and then deleted. A driver domain that vanished from
 * its host (a crash) is built again. Keys derive from the row and the host's boot, so a retried
 * delivery has no second effect and a rebooted host builds afresh. Each outcome (built, refused
 * with the host's reason and AVC lines, removed) goes to the realm's trail, as the worker's.
 * A rebuild on the same boot (the domain died behind the worker's back) keys on the domain it
 * replaces, so it is not answered with the first build's result.
 *
 * A rebuilt driver domain is a new domain: the disks and interfaces its predecessor served left
 * the host with it (their guests were left pointing at a backend that no longer exists). The
 * transaction that records the rebuild marks them reattaching; then, each poll, every one whose
 * VM has a domain on the host is attached again through the same handshake as any attach — as
 * the realm's management domain, so FLASK decides again — and the outcome is recorded with the
 * new backend domid (or, refused, the device stays recorded as detached with the host's reason
 * and AVC lines), audited per device on the realm's trail in the transaction that records it.
 */

export async function syncDriverDomains(db: Db, agents: AgentClient, target: AgentTarget, host: { id: string; name: string }, status: HostStatusReply, log: (line: string) => void): Promise<void> {
  const rows = await unsafeDriverDomainsOnHost(db, host.id);
  if (rows.length === 0) return;
  const byUuid = new Map(status.domains.map((d) => [d.uuid, d]));
  for (const dd of rows) {
    const onHost = byUuid.get(dd.id);
    const request = (action: "create" | "start" | "destroy", step: number) =>
      agents.apply(target, {
        // step ≥ 1: a hash of (row, boot, the domain it replaces, step), never the row id itself: a
        // rebuild on the same boot (the domain died behind our back) must not replay the first build.
        idempotencyKey: stepKey(`${dd.id}:${status.bootId}${dd.domid === null ? "" : `:after-${dd.domid}`}`, step),
        action,
        subjectLabel: managementLabel(dd.realm),
        vm: { uuid: dd.id, name: dd.name, label: driverDomainLabel(dd.realm), vcpus: dd.vcpus, memoryMb: dd.memoryMb },
      });
    if (dd.state === "removing") {
      if (onHost) {
        const r = await request("destroy", 3);
        if (!r.ok && r.error?.code !== "ENOENT") {
          const reason = `not destroyed: ${r.error?.code}: ${r.error?.message}`;
          log(`host ${host.name}: driver domain ${dd.id} ${reason}`);
          await unsafeNoteDriverDomain(db, dd.id, reason);
          continue;
        }
      }
      await transaction(db, async (tx) => {
        await unsafeDeleteDriverDomain(tx, dd.id);
        await audit(tx, dd, "backend.destroy", "allow", `driver domain ${dd.name} destroyed on ${host.name}`, []);
      });
      log(`host ${host.name}: driver domain ${dd.name} (${dd.id}) removed`);
      continue;
    }
    if (onHost?.state === "running") {
      if (dd.state !== "running" || dd.domid !== onHost.domid) {
        // Built by an earlier poll that did not get to record it: if it replaced a domain, same as below.
        await transaction(db, async (tx) => {
          await unsafeSettleDriverDomain(tx, dd.id, { state: "running", domid: onHost.domid, reason: null });
          if (dd.domid !== null && dd.domid !== onHost.domid) await unsafeMarkServedDevicesReattaching(tx, dd.id);
        });
      }
      await reattachServed(db, agents, target, host, status, dd, onHost.domid, log);
      continue;
    }
    const built = onHost ? { ok: true as const, domain: onHost, avc: [] as string[] } : await request("create", 1);
    const started = built.ok ? await request("start", 2) : built;
    if (!started.ok || !started.domain) {
      const reason = `${started.error?.code ?? "EINVAL"}: ${started.error?.message ?? "no domain"}${started.avc.length ? ` (${started.avc.join("; ")})` : ""}`;
      log(`host ${host.name}: driver domain ${dd.id} failed: ${reason}`);
      // A rebuild refused: the devices it served stay recorded, detached, with the host's reason.
      const detached = dd.domid !== null ? { state: "detached" as const, reason: `driver domain ${dd.name} could not be rebuilt: ${reason}` } : undefined;
      await settle(db, dd, { state: "failed", domid: null, reason }, started.avc, `host ${host.name} refused driver domain ${dd.name}: ${reason}`, detached);
      continue;
    }
    // Built while its row says it had been built before (a domid): a rebuild, its devices are to attach again.
    const isRebuild = dd.domid !== null;
    const why = isRebuild ? `driver domain ${dd.name} rebuilt on ${host.name} as domain ${started.domain.domid} (was ${dd.domid}): its devices are attached again` : `driver domain ${dd.name} running on ${host.name} as domain ${started.domain.domid}`;
    await settle(db, dd, { state: "running", domid: started.domain.domid, reason: null }, started.avc, why, isRebuild ? { state: "reattaching" } : undefined);
    await reattachServed(db, agents, target, host, status, dd, started.domain.domid, log);
  }
}

/**
 * Attaches again each device the rebuilt driver domain `backendDomid` served whose VM has a
 * domain on the host (a VM the host lost is rebuilt by the reconciler first: its devices wait).
 */
async function reattachServed(
  db: Db,
  agents: AgentClient,
  target: AgentTarget,
  host: { name: string },
  status: HostStatusReply,
  dd: DriverDomainWork,
  backendDomid: number,
  log: (line: string) => void,
): Promise<void> {
  const devices = await unsafeDevicesToReattach(db, dd.id);
  if (devices.length === 0) return;
  const level = realmLevel(dd.realm);
  const domains = new Map(status.domains.map((d) => [d.uuid, d]));
  for (const device of devices) {
    const frontend = domains.get(device.vmId);
    if (!frontend) continue;
    const envelope = {
      // The same key for the same (device, backend, frontend) on this boot: a retried poll replays the host's answer.
      idempotencyKey: stepKey(`${dd.id}:${status.bootId}:${backendDomid}:${device.kind}:${device.resourceId}:${frontend.domid}`, 4),
      subjectLabel: managementLabel(dd.realm),
      domid: frontend.domid,
      backendDomid,
    };
    const reply =
      device.kind === "vbd"
        ? await agents.device(target, { ...envelope, action: "attach-disk", disk: { id: device.resourceId, label: realmDiskLabel(level), readOnly: false } })
        : await agents.device(target, { ...envelope, action: "attach-net", network: { id: device.resourceId, label: realmNetLabel(level) } });
    // The frontend went away between the status call and the attach: try again next poll.
    if (!reply.ok && reply.error?.code === "ENOENT" && reply.avc.length === 0) continue;
    const what = `${device.kind === "vbd" ? "disk" : "interface on network"} ${device.resourceId} of domain ${frontend.domid}`;
    // Already there (an attach of the same device raced the rebuild): attached, as the host says.
    const isAttached = reply.ok || reply.error?.code === "EEXIST";
    const reason = isAttached
      ? `${what} attached again through rebuilt driver domain ${dd.name} (domain ${backendDomid}) on ${host.name}`
      : `${what} not attached again through rebuilt driver domain ${dd.name} (domain ${backendDomid}): ${reply.error?.code}: ${reply.error?.message}${reply.avc.length ? ` (${reply.avc.join("; ")})` : ""}`;
    await transaction(db, async (tx) => {
      const to = isAttached ? ({ state: "attached", domid: backendDomid } as const) : ({ state: "detached", reason } as const);
      if (!(await unsafeSettleReattach(tx, dd.id, device, to))) return; // detached or attached anew meanwhile
      await auditDevice(tx, dd, device, isAttached ? "allow" : "deny", reason, reply.avc, backendDomid);
    });
    log(`host ${host.name}: ${reason}`);
  }
}

function auditDevice(tx: Parameters<typeof recordDecision>[0], dd: DriverDomainWork, device: DeviceToReattach, decision: "allow" | "deny", reason: string, avc: string[], backendDomid: number) {
  return recordDecision(tx, {
    realmId: dd.realmId,
    actorId: null,
    actorTokenId: null,
    action: device.kind === "vbd" ? "vm.reattach-disk" : "vm.reattach-net",
    targetType: "vm",
    targetId: device.vmId,
    decision,
    layer: decision === "deny" && avc.length > 0 ? "hypervisor" : "worker",
    reason,
    requestId: `worker-backend-${dd.id}`,
    details: { [device.kind === "vbd" ? "diskId" : "networkId"]: device.resourceId, backendId: dd.id, backendDomid, avc },
  });
}


/** Records the driver domain's outcome; a rebuild's also marks the devices it served (reattaching, or detached with `devices` as reason). */
async function settle(db: Db, dd: DriverDomainWork, to: { state: DriverDomainState; domid: number | null; reason: string | null }, avc: string[], reason: string, devices?: { state: "reattaching" } | { state: "detached"; reason: string }): Promise<void> {
  await transaction(db, async (tx) => {
    await unsafeSettleDriverDomain(tx, dd.id, to);
    if (devices?.state === "reattaching") await unsafeMarkServedDevicesReattaching(tx, dd.id);
    else if (devices?.state === "detached") await unsafeMarkServedDevicesDetached(tx, dd.id, devices.reason);
    await audit(tx, dd, "backend.build", to.state === "running" ? "allow" : "deny", reason, avc);
  });
}

function audit(tx: Parameters<typeof recordDecision>[0], dd: DriverDomainWork, action: string, decision: "allow" | "deny", reason: string, avc: string[]) {
  return recordDecision(tx, {
    realmId: dd.realmId,
    actorId: null,
    actorTokenId: null,
    action,
    targetType: "driver-domain",
    targetId: dd.id,
    decision,
    layer: decision === "deny" && avc.length > 0 ? "hypervisor" : "worker",
    reason,
    requestId: `worker-backend-${dd.id}`,
    ...(avc.length > 0 ? { details: { avc } } : {}),
  });
}
