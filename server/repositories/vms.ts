import type { Tx } from "../db/client";
import { Prisma } from "../generated/prisma/client";
import { DomainError } from "../errors";
import type { VmState } from "../policy/lifecycle";

/** VM rows. The realm id is always the first argument and always in the WHERE clause. */

export const vmSelect = {
  id: true,
  realmId: true,
  name: true,
  kind: true,
  vcpus: true,
  memoryMb: true,
  domid: true,
  desiredState: true,
  observedState: true,
  stateReason: true,
  createdAt: true,
  updatedAt: true,
  template: { select: { id: true, name: true } },
  host: { select: { id: true, name: true, status: true } },
  disks: { select: { id: true, name: true, sizeGb: true } },
  networks: { select: { network: { select: { id: true, name: true } } } },
} satisfies Prisma.VmSelect;

export type VmView = Prisma.VmGetPayload<{ select: typeof vmSelect }>;

export function findVmInRealm(db: Tx, realmId: string, vmId: string) {
  return db.vm.findUnique({ where: { realmId_id: { realmId, id: vmId } }, select: vmSelect });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The kinds in the list's order (the VmKind enum's order, which ORDER BY kind follows). */
const KINDS = ["management", "guest"] as const;

/**
 * One page of a realm's VMs (the management VM first, then by creation), after the VM whose id
 * is the cursor. A cursor naming no VM of the realm (another realm's, a made-up one) is refused
 * like a malformed one.
 *
 * The page is one statement in the order of the index vms(realm_id, kind, created_at, id)
 * (migration scale_indexes), and the rows after the cursor are written so that the index can
 * start at the cursor: the same kind with created_at >= the cursor's (an index bound) and then
 * (created_at, id) past it, or a later kind. Prisma's own `cursor` option ran several statements
 * and filtered the realm's rows from the first one on: a deep page of a 100,000-VM realm read the
 * realm (issue 12; bench/scale.bench.ts).
 */
export async function listVmsInRealm(db: Tx, realmId: string, page: { cursor?: string; limit: number } = { limit: 200 }) {
  const where = { realmId, observedState: { not: "destroyed" as const } };
  let after: Prisma.VmWhereInput = {};
  if (page.cursor !== undefined) {
    const row = UUID.test(page.cursor) ? await db.vm.findFirst({ where: { ...where, id: page.cursor }, select: { kind: true, createdAt: true, id: true } }) : null;
    if (!row) throw new DomainError("bad_input", "cursor is not valid: start again from the first page", { field: "cursor" });
    const later = KINDS.slice(KINDS.indexOf(row.kind) + 1);
    const sameKind: Prisma.VmWhereInput = {
      kind: row.kind,
      createdAt: { gte: row.createdAt },
      OR: [{ createdAt: { gt: row.createdAt } }, { id: { gt: row.id } }],
    };
    after = later.length === 0 ? sameKind : { OR: [sameKind, { kind: { in: [...later] } }] };
  }
  const rows = await db.vm.findMany({
    where: { ...where, ...after },
    orderBy: [{ kind: "asc" }, { createdAt: "asc" }, { id: "asc" }],
    take: page.limit + 1,
    select: vmSelect,
  });
  const items = rows.slice(0, page.limit);
  return { items, nextCursor: rows.length > page.limit ? (items.at(-1)?.id ?? null) : null };
}

export function findManagementVm(db: Tx, realmId: string) {
  return db.vm.findFirst({ where: { realmId, kind: "management" }, select: vmSelect });
}

/** Whether a VM id exists in any realm: for the audit record of a denial only, never for a reply. */
export async function unsafeVmExists(platform: Tx, vmId: string): Promise<boolean> {
  return (await platform.vm.count({ where: { id: vmId } })) > 0;
}

/** A VM by id in any realm (operators' explain), with its realm's category and organization. */
export function unsafeFindVmWithRealm(platform: Tx, vmId: string) {
  return platform.vm.findUnique({
    where: { id: vmId },
    select: { id: true, name: true, kind: true, realmId: true, realm: { select: { categoryLow: true, categoryHigh: true, org: { select: { name: true } } } } },
  });
}

/** Whether the VM is visible in the transaction's realm (row-level security decides). */
export async function vmVisible(tx: Tx, vmId: string): Promise<boolean> {
  return (await tx.vm.count({ where: { id: vmId } })) === 1;
}

/** A VM as an action needs it, locked: its state, kind, size and place, and the operation in flight on it. */
export type LockedVm = {
  realmId: string;
  id: string;
  name: string;
  kind: "guest" | "management";
  observedState: VmState;
  vcpus: number;
  memoryMb: number;
  hostId: string | null;
  domid: number | null;
  /** The operation not yet finished on this VM, if any (one in flight per VM). */
  openOperation: { id: string; action: string } | null;
};

/**
 * Locks the VM row until the transaction ends and reads what an action decides on, the operation
 * in flight included: one statement (the lock serialises concurrent requests for the VM, so the
 * in-flight check cannot race). Null when the realm has no such VM.
 */
export async function lockVm(tx: Tx, realmId: string, vmId: string): Promise<LockedVm | null> {
  const rows = await tx.$queryRaw<
    { realm_id: string; id: string; name: string; kind: LockedVm["kind"]; observed_state: VmState; vcpus: number; memory_mb: number; host_id: string | null; domid: number | null; open_id: string | null; open_action: string | null }[]
  >`
    SELECT v."realm_id"::text, v."id"::text, v."name", v."kind"::text, v."observed_state"::text, v."vcpus", v."memory_mb", v."host_id"::text, v."domid",
           o."id"::text AS "open_id", o."action" AS "open_action"
      FROM "vms" v
      LEFT JOIN LATERAL (
        SELECT "id", "action" FROM "operations"
         WHERE "realm_id" = v."realm_id" AND "vm_id" = v."id" AND "status" IN ('pending', 'running', 'retrying')
         LIMIT 1
      ) o ON true
     WHERE v."realm_id" = ${realmId}::uuid AND v."id" = ${vmId}::uuid
       FOR UPDATE OF v`;
  const row = rows[0];
  if (!row) return null;
  return {
    realmId: row.realm_id,
    id: row.id,
    name: row.name,
    kind: row.kind,
    observedState: row.observed_state,
    vcpus: row.vcpus,
    memoryMb: row.memory_mb,
    hostId: row.host_id,
    domid: row.domid,
    openOperation: row.open_id ? { id: row.open_id, action: row.open_action! } : null,
  };
}

/** What placement needs of a VM: its size and where it runs. */
export function findVmPlacement(tx: Tx, realmId: string, vmId: string) {
  return tx.vm.findUnique({ where: { realmId_id: { realmId, id: vmId } }, select: { vcpus: true, memoryMb: true, hostId: true } });
}

export type VmStateChange = {
  observedState: VmState;
  desiredState?: VmState;
  stateReason: string | null;
  hostId?: string;
  domid?: number | null;
};

/** Records a VM's new state (and, when given, its host and domain id). */
export async function setVmState(tx: Tx, realmId: string, vmId: string, change: VmStateChange): Promise<void> {
  await tx.vm.update({ where: { realmId_id: { realmId, id: vmId } }, data: { ...change, updatedAt: new Date() } });
}

/** Notes why a VM is where it is (a retry in progress), leaving its state as it is. */
export async function setVmStateReason(tx: Tx, realmId: string, vmId: string, stateReason: string): Promise<void> {
  await tx.vm.update({ where: { realmId_id: { realmId, id: vmId } }, data: { stateReason, updatedAt: new Date() } });
}

export async function vmNameTaken(tx: Tx, realmId: string, name: string): Promise<boolean> {
  return (await tx.vm.findFirst({ where: { realmId, name }, select: { id: true } })) !== null;
}

export const DUPLICATE_VM_NAME = "name: a VM with this name already exists in your realm";

/** A new VM row; a name its realm already uses is a field error (a concurrent creation won). */
export async function insertVm(
  tx: Tx,
  vm: { realmId: string; id: string; name: string; kind: "guest" | "management"; templateId: string; vcpus: number; memoryMb: number; hostId: string },
): Promise<void> {
  try {
    await tx.vm.create({ data: { ...vm, observedState: "creating", desiredState: "stopped" } });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new DomainError("bad_input", DUPLICATE_VM_NAME, { field: "name" });
    }
    throw error;
  }
}

/** What the worker needs to deliver an operation on a VM: the VM, its realm's category and its host. */
export function findVmForDelivery(db: Tx, realmId: string, vmId: string) {
  return db.vm.findUnique({
    where: { realmId_id: { realmId, id: vmId } },
    select: {
      id: true,
      realmId: true,
      name: true,
      kind: true,
      vcpus: true,
      memoryMb: true,
      domid: true,
      realm: { select: { categoryLow: true, categoryHigh: true } },
      host: { select: { id: true, name: true, agentUrl: true } },
    },
  });
}

/** VMs the reconciler may judge on a host: settled (or failed), untouched since `askedAt`, nothing in flight. */
export function unsafeListVmsToReconcile(platform: Tx, hostId: string, askedAt: Date, states: readonly VmState[]) {
  return platform.vm.findMany({
    where: {
      hostId,
      updatedAt: { lt: askedAt },
      observedState: { in: [...states] },
      // An in-flight operation owns the VM's state until it settles.
      operations: { none: { status: { in: ["pending", "running", "retrying"] } } },
    },
    select: {
      id: true,
      realmId: true,
      kind: true,
      observedState: true,
      desiredState: true,
      operations: { orderBy: { createdAt: "desc" }, take: 1, select: { status: true, finishedAt: true } },
    },
  });
}

/**
 * Locks the VM and tells whether it is still as the host's answer saw it: untouched since
 * `askedAt`, still on the host, and no operation accepted or settled since.
 */
export async function lockVmIfUnchangedSince(tx: Tx, realmId: string, vmId: string, hostId: string, askedAt: Date): Promise<boolean> {
  const [current] = await tx.$queryRaw<{ fresh: boolean }[]>`
    SELECT (v.updated_at < ${askedAt} AND v.host_id = ${hostId}::uuid
            AND NOT EXISTS (SELECT 1 FROM operations o WHERE o.realm_id = v.realm_id AND o.vm_id = v.id
                            AND (o.status IN ('pending', 'running', 'retrying') OR o.finished_at >= ${askedAt}))) AS fresh
    FROM vms v WHERE v.realm_id = ${realmId}::uuid AND v.id = ${vmId}::uuid FOR UPDATE`;
  return current?.fresh === true;
}
