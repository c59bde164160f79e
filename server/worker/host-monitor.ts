import type { Db } from "../db/client";
import { deriveHostSecret } from "../contracts/signing";
import type { DomainState } from "../contracts/agent";
import type { VmState } from "../policy/lifecycle";
import { notifyRealm } from "../services/events";
import { AgentUnreachable, type AgentClient } from "./agent-client";

/**
 * Polls every host's agent: marks hosts online or unreachable (with the reason) and brings each
 * settled VM's observed state in line with what its hypervisor reports.
 */

const OBSERVED: Record<DomainState, VmState> = { running: "running", paused: "paused", shutdown: "stopped", stopped: "stopped" };

export async function pollHosts(db: Db, agents: AgentClient, masterSecret: string, log: (l: string) => void): Promise<void> {
  const hosts = await db.host.findMany();
  await Promise.all(
    hosts.map(async (host) => {
      try {
        const status = await agents.status({ url: host.agentUrl, secret: deriveHostSecret(masterSecret, host.name) });
        if (host.status !== "online") log(`host ${host.name} is online`);
        await db.host.update({ where: { id: host.id }, data: { status: "online", lastSeenAt: new Date(), lastError: null } });
        await syncObservedStates(db, host.id, status.domains);
      } catch (error) {
        const reason = error instanceof AgentUnreachable ? error.message : `bad status reply: ${(error as Error).message}`;
        if (host.status !== "unreachable" || host.lastError !== reason) {
          log(`host ${host.name} unreachable: ${reason}`);
          await db.host.update({ where: { id: host.id }, data: { status: "unreachable", lastError: reason } });
        }
      }
    }),
  );
}

async function syncObservedStates(db: Db, hostId: string, domains: { uuid: string; state: DomainState; domid: number }[]): Promise<void> {
  const byUuid = new Map(domains.map((d) => [d.uuid, d]));
  // Only VMs with nothing in flight: an in-flight operation owns the VM's state until it settles.
  const vms = await db.vm.findMany({
    where: {
      hostId,
      observedState: { in: ["running", "paused", "stopped"] },
      operations: { none: { status: { in: ["pending", "running", "retrying"] } } },
    },
  });
  for (const vm of vms) {
    const domain = byUuid.get(vm.id);
    const observed: VmState = domain ? OBSERVED[domain.state] : "failed";
    if (observed === vm.observedState) continue;
    await db.$transaction(async (tx) => {
      await tx.vm.update({
        where: { realmId_id: { realmId: vm.realmId, id: vm.id } },
        data: {
          observedState: observed,
          domid: domain?.domid ?? null,
          stateReason: domain ? "observed on host" : "domain missing on its host (host lost its state)",
          updatedAt: new Date(),
        },
      });
      await notifyRealm(tx, { realmId: vm.realmId, kind: "vm", vmId: vm.id });
    });
  }
}
