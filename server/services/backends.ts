import { randomUUID } from "node:crypto";
import type { Tx } from "../db/client";
import { DomainError } from "../errors";
import { countServed, deleteDriverDomain, insertDriverDomain, listDriverDomains, lockDriverDomain, markRemoving } from "../repositories/driver-domains";
import { findVmInRealm } from "../repositories/vms";
import type { Page, PageRequest } from "../repositories/pagination";
import { clearNdvmsOf, findDriverDomainName, ndvmDependents, ndvmInterfaces } from "../repositories/network-rules";
import { requestDetachNetwork } from "./devices";
import { quotaNeed } from "../policy/quotas";
import { reserve } from "./quotas";
import { auditAllowed, type MemberScope } from "./member-audit";

/**
 * Backend domains a realm may choose for its VMs' disks and networks (issue 15 part 3): the
 * platform's storage and network backends on every host (trusted) and the realm's own driver
 * domains (untrusted: the host seals every block written through one, see server/xen
 * block-data.ts). The realm's admins create and remove driver domains; the worker builds them
 * on their host as the realm's management domain (worker/driver-domain-sync.ts).
 *
 * Threat: a realm naming another realm's driver domain — every lookup is inside the caller's
 * realm (row-level security), so a foreign id answers exactly like a missing one ("backend not
 * found"), and the hypervisor's FLASK policy refuses the handshake anyway.
 */

type Scope = MemberScope;

export const BACKEND_NOT_FOUND = "backend not found";

/** A driver domain's size: a minimal backend (the worker builds it with its row's size). */
export const DRIVER_DOMAIN_SIZE = { vcpus: 1, memoryMb: 256 };

export type BackendView = {
  id: string | null;
  kind: "platform-storage" | "platform-network" | "driver-domain";
  name: string;
  isTrusted: boolean;
  serves: ("disk" | "network")[];
  host: { id: string; name: string } | null;
  state: "running" | "creating" | "failed" | "removing";
  stateReason: string | null;
  domid: number | null;
};

/** The platform's backends run on every host: one entry each, chosen by leaving the backend out. */
const PLATFORM: BackendView[] = [
  { id: null, kind: "platform-storage", name: "Platform storage backend", isTrusted: true, serves: ["disk"], host: null, state: "running", stateReason: null, domid: null },
  { id: null, kind: "platform-network", name: "Platform network backend", isTrusted: true, serves: ["network"], host: null, state: "running", stateReason: null, domid: null },
];

const audit = (tx: Tx, scope: Scope, action: string, targetId: string, reason: string) => auditAllowed(tx, scope, action, "driver-domain", targetId, reason);

/**
 * One page of the backends: the first page starts with the platform's (always two, outside
 * `limit`), then the realm's driver domains page by `limit` with their cursor.
 */
export async function listBackends(tx: Tx, realmId: string, page: PageRequest): Promise<Page<BackendView>> {
  const own = await listDriverDomains(tx, realmId, page);
  const drivers = own.items.map(
    (d): BackendView => ({
      id: d.id,
      kind: "driver-domain",
      name: d.name,
      isTrusted: false,
      serves: ["disk", "network"],
      host: d.host,
      state: d.state as BackendView["state"],
      stateReason: d.stateReason,
      domid: d.domid,
    }),
  );
  return { items: page.cursor === undefined ? [...PLATFORM, ...drivers] : drivers, nextCursor: own.nextCursor };
}

/** A driver domain on the host that runs `vmId` (a VM of the realm), built by the worker. */
export async function createDriverDomain(tx: Tx, scope: Scope, input: { name: string; vmId: string }) {
  const vm = await findVmInRealm(tx, scope.realmId, input.vmId);
  if (!vm) throw new DomainError("not_found", "VM not found");
  if (!vm.host) throw new DomainError("precondition_failed", "the VM has no host yet");
  const id = randomUUID();
  // Its vCPUs and memory count against the realm's quota (given back when its row goes) and in
  // its host's usage (migration driver_domain_usage), like any domain's.
  await reserve(tx, scope.realmId, "driver domain", quotaNeed("driver domain", DRIVER_DOMAIN_SIZE));
  await insertDriverDomain(tx, { realmId: scope.realmId, id, name: input.name, hostId: vm.host.id, ...DRIVER_DOMAIN_SIZE });
  await audit(tx, scope, "backend.create", id, `${scope.rule}; driver domain ${input.name} on ${vm.host.name} (untrusted backend)`);
  return { backendId: id };
}

/** What removing the driver domain disconnects (issue 15 part 4): the networks it is the NDVM of and the VMs it serves there. */
export async function driverDomainRemovalPreview(tx: Tx, realmId: string, backendId: string) {
  const backend = await findDriverDomainName(tx, realmId, backendId);
  if (!backend) throw new DomainError("not_found", BACKEND_NOT_FOUND);
  const { networks, vms } = await ndvmDependents(tx, realmId, backendId);
  return { backendId, name: backend.name, isNdvm: networks.length > 0, networks, vms };
}

/**
 * Removing an NDVM disconnects the guests of its networks: refused unless `confirm` (after the
 * preview). Confirmed, the networks go back to the platform's network backend and the VMs'
 * interfaces it serves are detached (operations); the driver domain itself is removed once it
 * serves nothing (the caller removes again when the detaches have run).
 */
export async function removeDriverDomain(tx: Tx, scope: Scope, backendId: string, confirm = false): Promise<{ removed: boolean; disconnecting: string[] }> {
  const backend = await lockDriverDomain(tx, scope.realmId, backendId, "update");
  if (!backend) throw new DomainError("not_found", BACKEND_NOT_FOUND);
  if (backend.state === "removing") return { removed: true, disconnecting: [] };
  const { networks, vms } = await ndvmDependents(tx, scope.realmId, backendId);
  if (networks.length > 0) {
    const what = `driver domain ${backend.name} is the NDVM of ${networks.map((n) => `network ${n.name}`).join(", ")}`;
    const cut = vms.length > 0 ? `removing it disconnects ${vms.map((v) => `${v.name} (${v.network})`).join(", ")}` : "no VM is on its networks";
    if (!confirm) throw new DomainError("precondition_failed", `${what}: ${cut}; see the removal preview, then remove with confirm: true`, { networks, vms });
    await clearNdvmsOf(tx, scope.realmId, backendId);
    for (const i of await ndvmInterfaces(tx, scope.realmId, backendId)) {
      await requestDetachNetwork(tx, { ...scope, subjectRealmId: scope.realmId, vmId: i.vmId, networkId: i.networkId });
    }
    await audit(tx, scope, "backend.ndvm.disconnect", backendId, `${scope.rule}; confirmed: ${what}; ${cut}`);
    if (vms.length > 0) return { removed: false, disconnecting: vms.map((v) => v.name) };
  }
  if ((await countServed(tx, scope.realmId, backendId)) > 0) {
    throw new DomainError("precondition_failed", "the driver domain serves disks or networks: detach them first");
  }
  // A failed one has nothing on its host; any other is destroyed there by the worker first.
  if (backend.state === "failed") await deleteDriverDomain(tx, scope.realmId, backendId);
  else await markRemoving(tx, scope.realmId, backendId);
  await audit(tx, scope, "backend.remove", backendId, `${scope.rule}; driver domain ${backend.name}`);
  return { removed: true, disconnecting: [] };
}

/**
 * The driver domain an attach names: the realm's own, running, on the VM's host. Returns null
 * for the platform's backend (no id given).
 */
export async function chooseBackend(tx: Tx, realmId: string, backendId: string | undefined, vmHostId: string | null): Promise<{ id: string; name: string } | null> {
  if (backendId === undefined) return null;
  const backend = await lockDriverDomain(tx, realmId, backendId, "share");
  if (!backend) throw new DomainError("not_found", BACKEND_NOT_FOUND);
  if (backend.state !== "running") throw new DomainError("precondition_failed", `the driver domain is ${backend.state}`);
  if (backend.hostId !== vmHostId) throw new DomainError("precondition_failed", "the driver domain runs on another host than the VM");
  return { id: backend.id, name: backend.name };
}
