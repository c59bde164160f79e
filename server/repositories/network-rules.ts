import { randomUUID } from "node:crypto";
import type { Db, Tx } from "../db/client";
import { DomainError } from "../errors";
import { Prisma } from "../generated/prisma/client";
import { afterCreated, cursorRow, toPage, type Page, type PageRequest } from "./pagination";

/**
 * A realm's NDVMs, network rules and flow tests (issue 15 part 4), and the platform's network
 * rules. Tenant functions take the realm id first and run under row-level security; `unsafe…`
 * ones are the worker's and the operators', on the platform client.
 */

export type RuleRow = { id: string; fromKind: string; fromId: string; toKind: string; toId: string | null; protocol: string; portFrom: number | null; portTo: number | null; createdAt: Date };
const ruleSelect = { id: true, fromKind: true, fromId: true, toKind: true, toId: true, protocol: true, portFrom: true, portTo: true, createdAt: true } satisfies Prisma.NetworkRuleSelect;

/** One page of the realm's rules, in the order the NDVM evaluates them (oldest first, then by id), after the rule the cursor names. */
export async function listRules(tx: Tx, realmId: string, page: PageRequest): Promise<Page<RuleRow>> {
  const after = await cursorRow(page.cursor, (id) => tx.networkRule.findUnique({ where: { realmId_id: { realmId, id } }, select: { id: true, createdAt: true } }));
  const rows = await tx.networkRule.findMany({ where: { realmId, ...afterCreated(after, "asc") }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], take: page.limit + 1, select: ruleSelect });
  return toPage(rows, page.limit, (row) => row.id);
}

export type CounterPair = { allowed: number; denied: number };

/**
 * Sums of what the realm's NDVMs reported (network_ndvms.counters: {"<key>": {allowed, denied}}),
 * computed in SQL over every NDVM of the realm, whichever page of rules is shown: the layers
 * before the rules (flask, ndvm, every platform:<id> summed), the default deny, and the given
 * rules (realm:<id>). One driver domain serving several networks reports the same counters on
 * each of its rows: its newest row counts, once.
 */
export async function ndvmCounters(tx: Tx, realmId: string, ruleIds: string[]): Promise<Map<string, CounterPair>> {
  const ruleKeys = ruleIds.map((id) => `realm:${id}`);
  const rows = await tx.$queryRaw<{ bucket: string; allowed: bigint; denied: bigint }[]>`
    WITH ndvm AS (
      SELECT DISTINCT ON (driver_domain_id) counters FROM network_ndvms
      WHERE realm_id = ${realmId}::uuid AND jsonb_typeof(counters) = 'object'
      ORDER BY driver_domain_id, created_at DESC, network_id DESC
    ), entry AS (
      SELECT CASE WHEN c.key LIKE 'platform:%' THEN 'platform' ELSE c.key END AS bucket, c.value
      FROM ndvm, jsonb_each(ndvm.counters) c
      WHERE c.key IN ('flask', 'ndvm', 'realm:default') OR c.key LIKE 'platform:%' OR c.key = ANY(${ruleKeys}::text[])
    )
    SELECT bucket,
           COALESCE(SUM(CASE WHEN jsonb_typeof(value -> 'allowed') = 'number' THEN (value ->> 'allowed')::numeric END), 0)::bigint AS allowed,
           COALESCE(SUM(CASE WHEN jsonb_typeof(value -> 'denied') = 'number' THEN (value ->> 'denied')::numeric END), 0)::bigint AS denied
    FROM entry GROUP BY bucket`;
  return new Map(rows.map((r) => [r.bucket, { allowed: Number(r.allowed), denied: Number(r.denied) }]));
}

export async function insertRule(tx: Tx, row: Omit<RuleRow, "createdAt"> & { realmId: string }): Promise<void> {
  await tx.networkRule.create({ data: row });
}

export async function deleteRule(tx: Tx, realmId: string, id: string): Promise<RuleRow | null> {
  const row = await tx.networkRule.findUnique({ where: { realmId_id: { realmId, id } }, select: ruleSelect });
  if (row) await tx.networkRule.delete({ where: { realmId_id: { realmId, id } } });
  return row;
}

const ndvmSelect = {
  networkId: true,
  rulesVersion: true,
  rulesHash: true,
  counters: true,
  syncedAt: true,
  network: { select: { name: true } },
  driverDomain: { select: { id: true, name: true, state: true, domid: true, host: { select: { name: true } } } },
} satisfies Prisma.NetworkNdvmSelect;
export type NdvmRow = Prisma.NetworkNdvmGetPayload<{ select: typeof ndvmSelect }>;

/** One page of the realm's NDVM networks, oldest first (then by network id); the cursor is a network id. */
export async function listNdvms(tx: Tx, realmId: string, page: PageRequest): Promise<Page<NdvmRow>> {
  const after = await cursorRow(page.cursor, (networkId) => tx.networkNdvm.findUnique({ where: { realmId_networkId: { realmId, networkId } }, select: { networkId: true, createdAt: true } }));
  const rows = await tx.networkNdvm.findMany({
    where: { realmId, ...(after ? { createdAt: { gte: after.createdAt }, OR: [{ createdAt: { gt: after.createdAt } }, { createdAt: after.createdAt, networkId: { gt: after.networkId } }] } : {}) },
    orderBy: [{ createdAt: "asc" }, { networkId: "asc" }],
    take: page.limit + 1,
    select: ndvmSelect,
  });
  return toPage(rows, page.limit, (row) => row.networkId);
}

export function findNdvm(tx: Tx, realmId: string, networkId: string): Promise<NdvmRow | null> {
  return tx.networkNdvm.findUnique({ where: { realmId_networkId: { realmId, networkId } }, select: ndvmSelect });
}

export async function setNdvm(tx: Tx, realmId: string, networkId: string, driverDomainId: string): Promise<void> {
  await tx.networkNdvm.upsert({
    where: { realmId_networkId: { realmId, networkId } },
    create: { realmId, networkId, driverDomainId },
    update: { driverDomainId, rulesVersion: null, rulesHash: null, counters: {}, syncedAt: null },
  });
}

export async function clearNdvm(tx: Tx, realmId: string, networkId: string): Promise<void> {
  await tx.networkNdvm.deleteMany({ where: { realmId, networkId } });
}

/** How many VMs are on the network, and how many of their interfaces another backend than `backendId` serves. */
export async function interfacesOn(tx: Tx, realmId: string, networkId: string, backendId: string): Promise<{ total: number; elsewhere: number }> {
  const [total, elsewhere] = await Promise.all([
    tx.vmNetwork.count({ where: { realmId, networkId } }),
    tx.vmNetwork.count({ where: { realmId, networkId, OR: [{ backendId: null }, { backendId: { not: backendId } }] } }),
  ]);
  return { total, elsewhere };
}

/** The NDVM (driver domain) of the network, if it has one: what an attach to the network goes through. */
export async function ndvmOfNetwork(tx: Tx, realmId: string, networkId: string): Promise<string | null> {
  const row = await tx.networkNdvm.findUnique({ where: { realmId_networkId: { realmId, networkId } }, select: { driverDomainId: true } });
  return row?.driverDomainId ?? null;
}

/** What removing the driver domain would disconnect: the networks it is the NDVM of, and the VMs whose interfaces it serves. */
export async function ndvmDependents(tx: Tx, realmId: string, driverDomainId: string): Promise<{ networks: { id: string; name: string }[]; vms: { id: string; name: string; network: string }[] }> {
  const [networks, interfaces] = await Promise.all([
    tx.networkNdvm.findMany({ where: { realmId, driverDomainId }, orderBy: { createdAt: "asc" }, select: { network: { select: { id: true, name: true } } } }),
    tx.vmNetwork.findMany({ where: { realmId, backendId: driverDomainId }, orderBy: [{ createdAt: "asc" }], select: { vm: { select: { id: true, name: true } }, network: { select: { name: true } } } }),
  ]);
  return { networks: networks.map((n) => n.network), vms: interfaces.map((i) => ({ id: i.vm.id, name: i.vm.name, network: i.network.name })) };
}

/** The driver domain's name, without a lock (read-only: a preview). */
export function findDriverDomainName(tx: Tx, realmId: string, id: string): Promise<{ name: string } | null> {
  return tx.driverDomain.findUnique({ where: { realmId_id: { realmId, id } }, select: { name: true } });
}

/** The interfaces (VM, network) the driver domain serves. */
export function ndvmInterfaces(tx: Tx, realmId: string, driverDomainId: string): Promise<{ vmId: string; networkId: string }[]> {
  return tx.vmNetwork.findMany({ where: { realmId, backendId: driverDomainId }, orderBy: { createdAt: "asc" }, select: { vmId: true, networkId: true } });
}

export async function clearNdvmsOf(tx: Tx, realmId: string, driverDomainId: string): Promise<void> {
  await tx.networkNdvm.deleteMany({ where: { realmId, driverDomainId } });
}

export type FlowTestInput = { networkId: string; fromVmId: string; toVmId: string | null; toAddress: string | null; protocol: string; port: number | null; attempt: boolean };

export async function insertFlowTest(tx: Tx, realmId: string, input: FlowTestInput): Promise<string> {
  const id = randomUUID();
  await tx.flowTest.create({ data: { realmId, id, ...input } });
  return id;
}

const flowTestSelect = {
  id: true,
  networkId: true,
  fromVmId: true,
  toVmId: true,
  toAddress: true,
  protocol: true,
  port: true,
  attempt: true,
  status: true,
  allowed: true,
  layer: true,
  ruleId: true,
  reason: true,
  avc: true,
  createdAt: true,
  decidedAt: true,
} satisfies Prisma.FlowTestSelect;
export type FlowTestRow = Prisma.FlowTestGetPayload<{ select: typeof flowTestSelect }>;

export function findFlowTest(tx: Tx, realmId: string, id: string): Promise<FlowTestRow | null> {
  return tx.flowTest.findUnique({ where: { realmId_id: { realmId, id } }, select: flowTestSelect });
}

// --- The platform's rules (operators; the worker loads them into every host) --------------

export type PlatformRuleRow = { id: string; name: string; address: string | null; protocol: string; portFrom: number | null; portTo: number | null; createdAt: Date };

export function unsafeListPlatformRules(platform: Db | Tx): Promise<PlatformRuleRow[]> {
  return platform.platformNetworkRule.findMany({ orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
}

/** One page of the platform's rules for operators, oldest first (then by id), after the rule the cursor names. */
export async function unsafeListPlatformRulePage(platform: Tx, page: PageRequest): Promise<Page<PlatformRuleRow>> {
  const after = await cursorRow(page.cursor, (id) => platform.platformNetworkRule.findUnique({ where: { id }, select: { id: true, createdAt: true } }));
  const rows = await platform.platformNetworkRule.findMany({ where: afterCreated(after, "asc"), orderBy: [{ createdAt: "asc" }, { id: "asc" }], take: page.limit + 1 });
  return toPage(rows, page.limit, (row) => row.id);
}

export async function unsafeInsertPlatformRule(platform: Tx, row: Omit<PlatformRuleRow, "createdAt">): Promise<void> {
  await platform.platformNetworkRule.create({ data: row }).catch((error: unknown) => {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new DomainError("bad_input", "name: a platform rule with this name already exists", { field: "name" });
    }
    throw error;
  });
}

export async function unsafeDeletePlatformRule(platform: Tx, id: string): Promise<PlatformRuleRow | null> {
  const row = await platform.platformNetworkRule.findUnique({ where: { id } });
  if (row) await platform.platformNetworkRule.delete({ where: { id } });
  return row;
}

// --- The worker's (platform client, every realm) ---------------------------------------

export type NdvmWork = { realmId: string; driverDomainId: string; domid: number; rulesVersion: number | null; realm: { categoryLow: number; categoryHigh: number } };

/** The running NDVMs of a host (one entry per driver domain, whatever the number of its networks). */
export async function unsafeNdvmsOnHost(platform: Db | Tx, hostId: string): Promise<NdvmWork[]> {
  const rows = await platform.networkNdvm.findMany({
    where: { driverDomain: { hostId, state: "running", domid: { not: null } } },
    orderBy: { createdAt: "asc" },
    select: { realmId: true, driverDomainId: true, rulesVersion: true, driverDomain: { select: { domid: true, realm: { select: { categoryLow: true, categoryHigh: true } } } } },
  });
  const byDomain = new Map<string, NdvmWork>();
  for (const r of rows) {
    if (byDomain.has(r.driverDomainId)) continue;
    byDomain.set(r.driverDomainId, { realmId: r.realmId, driverDomainId: r.driverDomainId, domid: r.driverDomain.domid!, rulesVersion: r.rulesVersion, realm: r.driverDomain.realm });
  }
  return [...byDomain.values()];
}

export function unsafeRealmRules(platform: Db | Tx, realmId: string): Promise<RuleRow[]> {
  return platform.networkRule.findMany({ where: { realmId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], select: ruleSelect });
}

/** What the NDVM reported it enforces, and its counters, on every network it serves. */
export async function unsafeNoteNdvm(platform: Db | Tx, driverDomainId: string, state: { version: number | null; hash: string | null; counters: Record<string, { allowed: number; denied: number }> }): Promise<void> {
  await platform.networkNdvm.updateMany({ where: { driverDomainId }, data: { rulesVersion: state.version, rulesHash: state.hash, counters: state.counters, syncedAt: new Date() } });
}

/** Flow tests waiting on the networks these NDVMs serve, oldest first (a bounded batch per poll). */
export function unsafePendingFlowTests(platform: Db | Tx, driverDomainIds: string[]) {
  return platform.flowTest.findMany({
    where: { status: "pending", network: { ndvm: { driverDomainId: { in: driverDomainIds } } } },
    orderBy: { createdAt: "asc" },
    take: 50,
    select: { realmId: true, id: true, fromVmId: true, toVmId: true, toAddress: true, protocol: true, port: true, attempt: true, network: { select: { ndvm: { select: { driverDomainId: true } } } } },
  });
}

/**
 * Flow tests nobody answered (the NDVM's host unreachable, the NDVM gone): failed after
 * `olderThanMs`, with the reason, so a caller polling for the verdict is not left waiting.
 */
export async function unsafeExpireFlowTests(platform: Db | Tx, olderThanMs: number, reason: string): Promise<number> {
  const expired = await platform.flowTest.updateMany({
    where: { status: "pending", createdAt: { lt: new Date(Date.now() - olderThanMs) } },
    data: { status: "failed", allowed: null, layer: null, ruleId: null, reason, avc: [], decidedAt: new Date() },
  });
  return expired.count;
}

export async function unsafeDecideFlowTest(platform: Db | Tx, id: string, verdict: { status: "done" | "failed"; allowed: boolean | null; layer: string | null; ruleId: string | null; reason: string; avc: string[] }): Promise<void> {
  await platform.flowTest.updateMany({ where: { id, status: "pending" }, data: { ...verdict, decidedAt: new Date() } });
}
