import type { HostStatusReply } from "../contracts/agent";
import { transaction, type Db } from "../db/client";
import { stepKey } from "../policy/plan";
import { recordDecision } from "../repositories/audit";
import { unsafeDeleteDriverDomain, unsafeDriverDomainsOnHost, unsafeNoteDriverDomain, unsafeSettleDriverDomain, type DriverDomainState, type DriverDomainWork } from "../repositories/driver-domains";
import { driverDomainLabel, managementLabel } from "../xsm";
import type { AgentClient, AgentTarget } from "./agent-client";

/**
 * A host's driver domains, each poll (issue 15 part 3): the rows the realms asked for are
 * built (domain.create, then start) as the realm's own management domain — so the host's FLASK
 * policy, not this code, decides that a realm can only build a driver domain at its own level —
 * and a row marked removing is destroyed and then deleted. A driver domain that vanished from
 * its host (a crash) is built again. Keys derive from the row and the host's boot, so a retried
 * delivery has no second effect and a rebooted host builds afresh. Each outcome (built, refused
 * with the host's reason and AVC lines, removed) goes to the realm's trail, as the worker's.
 */

export async function syncDriverDomains(db: Db, agents: AgentClient, target: AgentTarget, host: { id: string; name: string }, status: HostStatusReply, log: (line: string) => void): Promise<void> {
  const rows = await unsafeDriverDomainsOnHost(db, host.id);
  if (rows.length === 0) return;
  const byUuid = new Map(status.domains.map((d) => [d.uuid, d]));
  for (const dd of rows) {
    const onHost = byUuid.get(dd.id);
    const request = (action: "create" | "start" | "destroy", step: number) =>
      agents.apply(target, {
        // step ≥ 1: a hash of (row, boot, step), never the row id itself.
        idempotencyKey: stepKey(`${dd.id}:${status.bootId}`, step),
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
      if (dd.state !== "running" || dd.domid !== onHost.domid) await unsafeSettleDriverDomain(db, dd.id, { state: "running", domid: onHost.domid, reason: null });
      continue;
    }
    const built = onHost ? { ok: true as const, domain: onHost, avc: [] as string[] } : await request("create", 1);
    const started = built.ok ? await request("start", 2) : built;
    if (!started.ok || !started.domain) {
      const reason = `${started.error?.code ?? "EINVAL"}: ${started.error?.message ?? "no domain"}${started.avc.length ? ` (${started.avc.join("; ")})` : ""}`;
      log(`host ${host.name}: driver domain ${dd.id} failed: ${reason}`);
      await settle(db, dd, { state: "failed", domid: null, reason }, started.avc, `host ${host.name} refused driver domain ${dd.name}: ${reason}`);
      continue;
    }
    await settle(db, dd, { state: "running", domid: started.domain.domid, reason: null }, started.avc, `driver domain ${dd.name} running on ${host.name} as domain ${started.domain.domid}`);
  }
}


async function settle(db: Db, dd: DriverDomainWork, to: { state: DriverDomainState; domid: number | null; reason: string | null }, avc: string[], reason: string): Promise<void> {
  await transaction(db, async (tx) => {
    await unsafeSettleDriverDomain(tx, dd.id, to);
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
