import { sql, statement, type Prefetch, type Tx } from "../db/client";
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
  disks: { select: { id: true, name: true, sizeGb: true, backend: { select: { id: true, name: true } }, backendState: true, backendReason: true } },
  networks: { select: { network: { select: { id: true, name: true } }, backend: { select: { id: true, name: true } }, backendState: true, backendReason: true } },
} satisfies Prisma.VmSelect;

export type VmView = Prisma.VmGetPayload<{ select: typeof vmSelect }>;

/**
 * vmSelect as one SELECT list over `vms v`, for the driver directly (the hot reads: the VM list,
 * the realm page, every VM page and query). Prisma built the same statement; building it here
 * saves its per-statement CPU, a third of a list request (issue 12). Same shape as VmView:
 * disks in creation order, networks by name.
 */
const VM_VIEW = `v."id", v."realm_id" AS "realmId", v."name", v."kind"::text AS "kind", v."vcpus", v."memory_mb" AS "memoryMb", v."domid",
  v."desired_state"::text AS "desiredState", v."observed_state"::text AS "observedState", v."state_reason" AS "stateReason",
  v."created_at" AS "createdAt", v."updated_at" AS "updatedAt",
  (SELECT json_build_object('id', t."id", 'name', t."name") FROM "templates" t WHERE t."id" = v."template_id") AS "template",
  (SELECT json_build_object('id', h."id", 'name', h."name", 'status', h."status") FROM "hosts" h WHERE h."id" = v."host_id") AS "host",
  COALESCE((SELECT json_agg(json_build_object('id', d."id", 'name', d."name", 'sizeGb', d."size_gb",
                'backend', CASE WHEN dd."id" IS NULL THEN NULL ELSE json_build_object('id', dd."id", 'name', dd."name") END,
                'backendState', d."backend_state", 'backendReason', d."backend_reason") ORDER BY d."created_at", d."id")
              FROM "disks" d LEFT JOIN "driver_domains" dd ON dd."realm_id" = d."realm_id" AND dd."id" = d."backend_id"
             WHERE d."realm_id" = v."realm_id" AND d."vm_id" = v."id"), '[]') AS "disks",
  COALESCE((SELECT json_agg(json_build_object('network', json_build_object('id', n."id", 'name', n."name"),
                'backend', CASE WHEN dd."id" IS NULL THEN NULL ELSE json_build_object('id', dd."id", 'name', dd."name") END,
                'backendState', vn."backend_state", 'backendReason', vn."backend_reason") ORDER BY n."name", n."id")
              FROM "vm_networks" vn JOIN "networks" n ON n."realm_id" = vn."realm_id" AND n."id" = vn."network_id"
              LEFT JOIN "driver_domains" dd ON dd."realm_id" = vn."realm_id" AND dd."id" = vn."backend_id"
             WHERE vn."realm_id" = v."realm_id" AND vn."vm_id" = v."id"), '[]') AS "networks"`;

const VM_IN_REALM = statement("vm_in_realm", `SELECT ${VM_VIEW} FROM "vms" v WHERE v."realm_id" = $1 AND v."id" = $2`);

export async function findVmInRealm(db: Tx, realmId: string, vmId: string): Promise<VmView | null> {
  if (!UUID.test(vmId)) return null;
  return (await sql<VmView>(db, VM_IN_REALM, [realmId, vmId]))[0] ?? null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** findVmInRealm's statement, to run ahead in the realm transaction's first message (db/client.ts Prefetch). */
export function findVmInRealmAhead(realmId: string, vmId: string): Prefetch | null {
  return UUID.test(vmId) ? { statement: VM_IN_REALM, values: [realmId, vmId] } : null;
}

const VM_CURSOR = statement("vm_list_cursor", `SELECT v."kind"::text AS "kind", v."created_at" AS "createdAt", v."id" FROM "vms" v WHERE v."realm_id" = $1 AND v."id" = $2 AND v."observed_state" <> 'destroyed'`);
// The rows after a cursor: (kind, created_at, id) past the cursor's, in the order of the index
// vms(realm_id, kind, created_at, id) (migration scale_indexes), which PostgreSQL can start at the
// cursor (a row comparison on the index's columns after the realm's equality).
const VM_PAGE_FIRST = statement(
  "vm_list_first",
  `SELECT ${VM_VIEW} FROM "vms" v WHERE v."realm_id" = $1 AND v."observed_state" <> 'destroyed'
    ORDER BY v."kind", v."created_at", v."id" LIMIT $2`,
);
const VM_PAGE_AFTER = statement(
  "vm_list_after",
  `SELECT ${VM_VIEW} FROM "vms" v WHERE v."realm_id" = $1 AND v."observed_state" <> 'destroyed'
      AND (v."kind", v."created_at", v."id") > ($3::"VmKind", $4::timestamptz, $5::uuid)
    ORDER BY v."kind", v."created_at", v."id" LIMIT $2`,
);

/**
 * listVmsInRealm's first page, to run ahead in the realm transaction's first message (db/client.ts
 * Prefetch), for a page request as sent (`limit` as pageInput reads it, 50 when absent).
 */
export function listVmsInRealmAhead(realmId: string, page: { cursor?: unknown; limit?: unknown } | null | undefined): Prefetch | null {
  if (page?.cursor !== undefined) return null;
  const limit = page?.limit === undefined ? 50 : Number(page.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) return null;
  return { statement: VM_PAGE_FIRST, values: [realmId, String(limit + 1)] };
}

/**
 * One page of a realm's VMs (the management VM first, then by creation), after the VM whose id
 * is the cursor. A cursor naming no VM of the realm (another realm's, a made-up one) is refused
 * like a malformed one. The first page is one statement; a later one two (the cursor's row,
 * then the page from it, never a scan of the realm: bench/scale.bench.ts).
 */
export async function listVmsInRealm(db: Tx, realmId: string, page: { cursor?: string; limit: number } = { limit: 200 }) {
  let rows: VmView[];
  if (page.cursor === undefined) {
    rows = await sql<VmView>(db, VM_PAGE_FIRST, [realmId, page.limit + 1]);
  } else {
    const cursor = UUID.test(page.cursor) ? (await sql<{ kind: string; createdAt: Date; id: string }>(db, VM_CURSOR, [realmId, page.cursor]))[0] : undefined;
    if (!cursor) throw new DomainError("bad_input", "cursor is not valid: start again from the first page", { field: "cursor" });
    rows = await sql<VmView>(db, VM_PAGE_AFTER, [realmId, page.limit + 1, cursor.kind, cursor.createdAt, cursor.id]);
  }
  const items = rows.slice(0, page.limit);
  return { items, nextCursor: rows.length > page.limit ? (items.at(-1)?.id ?? null) : null };
}

const MANAGEMENT_VM = statement("vm_management", `SELECT ${VM_VIEW} FROM "vms" v WHERE v."realm_id" = $1 AND v."kind" = 'management' LIMIT 1`);

/** findManagementVm's statement, to run ahead in the realm transaction's first message (db/client.ts Prefetch). */
export function findManagementVmAhead(realmId: string): Prefetch {
  return { statement: MANAGEMENT_VM, values: [realmId] };
}

export async function findManagementVm(db: Tx, realmId: string): Promise<VmView | null> {
  return (await sql<VmView>(db, MANAGEMENT_VM, [realmId]))[0] ?? null;
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
  /**
   * The NDVMs of the VM's networks that do not run (network, NDVM and state, by network name): a
   * start waits for them. Read with the lock, so a start costs no statement of its own for it.
   */
  waitingNdvms: { network: string; ndvm: string; state: string }[];
};

/**
 * Locks the VM row until the transaction ends and reads what an action decides on, the operation
 * in flight included: one statement (the lock serialises concurrent requests for the VM, so the
 * in-flight check cannot race). Null when the realm has no such VM.
 */
const LOCK_VM = statement(
  "vm_lock",
  `SELECT v."realm_id", v."id", v."name", v."kind"::text AS "kind", v."observed_state"::text AS "observed_state", v."vcpus", v."memory_mb", v."host_id", v."domid",
          o."id" AS "open_id", o."action" AS "open_action",
          (SELECT json_agg(json_build_object('network', n."name", 'ndvm', d."name", 'state', d."state") ORDER BY n."name")
             FROM "vm_networks" vn
             JOIN "network_ndvms" nn ON nn."realm_id" = vn."realm_id" AND nn."network_id" = vn."network_id"
             JOIN "networks" n ON n."realm_id" = vn."realm_id" AND n."id" = vn."network_id"
             JOIN "driver_domains" d ON d."realm_id" = nn."realm_id" AND d."id" = nn."driver_domain_id"
            WHERE vn."realm_id" = v."realm_id" AND vn."vm_id" = v."id" AND d."state" <> 'running') AS "waiting_ndvms"
     FROM "vms" v
     LEFT JOIN LATERAL (
       SELECT "id", "action" FROM "operations"
        WHERE "realm_id" = v."realm_id" AND "vm_id" = v."id" AND "status" IN ('pending', 'running', 'retrying')
        LIMIT 1
     ) o ON true
    WHERE v."realm_id" = $1 AND v."id" = $2
      FOR UPDATE OF v`,
);

/** lockVm's statement, to run ahead in the realm transaction's first message (db/client.ts Prefetch). */
export function lockVmAhead(realmId: string, vmId: string): Prefetch | null {
  return UUID.test(vmId) ? { statement: LOCK_VM, values: [realmId, vmId] } : null;
}

export async function lockVm(tx: Tx, realmId: string, vmId: string): Promise<LockedVm | null> {
  const [row] = await sql<{ realm_id: string; id: string; name: string; kind: LockedVm["kind"]; observed_state: VmState; vcpus: number; memory_mb: number; host_id: string | null; domid: number | null; open_id: string | null; open_action: string | null; waiting_ndvms: LockedVm["waitingNdvms"] | null }>(
    tx,
    LOCK_VM,
    [realmId, vmId],
  );
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
    waitingNdvms: row.waiting_ndvms ?? [],
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

/**
 * What the worker needs to deliver an operation on a VM: the VM, its realm's category and its
 * host, as one json value (VmForDelivery) for the VM `realmId`/`vmId` name (SQL expressions of the
 * caller's statement). The claim reads it with the operations it claims (operations.ts).
 */
export function vmForDeliveryJson(realmId: string, vmId: string): string {
  return `(SELECT json_build_object('id', v."id", 'realmId', v."realm_id", 'name', v."name", 'kind', v."kind", 'vcpus', v."vcpus", 'memoryMb', v."memory_mb", 'domid', v."domid",
            'realm', json_build_object('categoryLow', r."category_low", 'categoryHigh', r."category_high"),
            'host', (SELECT json_build_object('id', h."id", 'name', h."name", 'agentUrl', h."agent_url") FROM "hosts" h WHERE h."id" = v."host_id"))
     FROM "vms" v JOIN "realms" r ON r."id" = v."realm_id"
    WHERE v."realm_id" = ${realmId} AND v."id" = ${vmId})`;
}

export type VmForDelivery = {
  id: string;
  realmId: string;
  name: string;
  kind: VmView["kind"];
  vcpus: number;
  memoryMb: number;
  domid: number | null;
  realm: { categoryLow: number; categoryHigh: number };
  host: { id: string; name: string; agentUrl: string } | null;
};

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

/** Renames a VM; a name its realm already uses is a field error (the unique index decides). */
export async function renameVm(tx: Tx, realmId: string, vmId: string, name: string): Promise<void> {
  try {
    await tx.vm.update({ where: { realmId_id: { realmId, id: vmId } }, data: { name, updatedAt: new Date() } });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new DomainError("bad_input", DUPLICATE_VM_NAME, { field: "name" });
    }
    throw error;
  }
}

/** Records a VM's new size once its host applied it (the usage triggers move host and realm usage). */
export async function setVmSize(tx: Tx, realmId: string, vmId: string, size: { vcpus: number; memoryMb: number }): Promise<void> {
  await tx.vm.updateMany({ where: { realmId, id: vmId }, data: { ...size, updatedAt: new Date() } });
}

/** What a clone copies of its source: template and size. */
export function findVmTemplateAndSize(tx: Tx, realmId: string, vmId: string) {
  return tx.vm.findUnique({ where: { realmId_id: { realmId, id: vmId } }, select: { templateId: true, vcpus: true, memoryMb: true, name: true } });
}
