import type { Tx } from "../db/client";
import { afterCreated, cursorRow, toPage, type Page, type PageRequest } from "./pagination";
import type { Prisma } from "../generated/prisma/client";

/**
 * Cross-realm sharing agreements (issue 15 part 5). Tenant functions take the caller's realm id
 * and run under row-level security, where a realm sees an agreement only as its proposer
 * (realm_id) or as the peer the proposal reached (peer_realm_id); each transition's WHERE binds
 * the caller's side, so a proposer can never accept or decline its own proposal. `unsafe…`
 * functions are the platform's (propose's peer lookup, the worker, operators).
 */

export type AgreementState = "proposed" | "active" | "revoked" | "expired" | "declined";
export const OPEN_STATES: AgreementState[] = ["proposed", "active"];

const agreementSelect = {
  id: true,
  realmId: true,
  peerRealmId: true,
  sourceOrg: true,
  targetOrg: true,
  targetVmName: true,
  fromVmId: true,
  fromVmName: true,
  toVmId: true,
  twoWay: true,
  port: true,
  state: true,
  expiresAt: true,
  decidedAt: true,
  endedByRealmId: true,
  endedAt: true,
  channelStatus: true,
  channelReason: true,
  delivered: true,
  refused: true,
  firstUsedAt: true,
  syncedAt: true,
  createdAt: true,
} satisfies Prisma.AgreementSelect;
export type AgreementRow = Prisma.AgreementGetPayload<{ select: typeof agreementSelect }>;

export async function insertAgreement(
  tx: Tx,
  row: { id: string; realmId: string; peerRealmId: string | null; sourceOrg: string; targetOrg: string; targetVmName: string; fromVmId: string; fromVmName: string; twoWay: boolean; port: number; expiresAt: Date; proposedBy: string | null },
): Promise<void> {
  await tx.agreement.create({ data: row, select: { id: true } });
}

/** The realm's agreements, outgoing and incoming (RLS shows both and nothing else), newest first. */
export async function listAgreements(tx: Tx, realmId: string, page: PageRequest): Promise<Page<AgreementRow>> {
  const sides = { OR: [{ realmId }, { peerRealmId: realmId }] };
  const after = await cursorRow(page.cursor, (id) => tx.agreement.findFirst({ where: { id, ...sides }, select: { id: true, createdAt: true } }));
  const rows = await tx.agreement.findMany({
    where: { AND: [sides, afterCreated(after, "desc")] },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: agreementSelect,
    take: page.limit + 1,
  });
  return toPage(rows, page.limit, (row) => row.id);
}

/** One agreement, if the caller's realm is one of its two sides (another's answers like a missing one). */
export function findAgreement(tx: Tx, realmId: string, id: string): Promise<AgreementRow | null> {
  return tx.agreement.findFirst({ where: { id, OR: [{ realmId }, { peerRealmId: realmId }] }, select: agreementSelect });
}

/** The peer accepts: only the peer's side, only a live proposal. */
export async function acceptAgreement(tx: Tx, realmId: string, id: string, toVmId: string, by: string | null, now: Date): Promise<boolean> {
  const r = await tx.agreement.updateMany({ where: { id, peerRealmId: realmId, state: "proposed", expiresAt: { gt: now } }, data: { state: "active", toVmId, decidedBy: by, decidedAt: now } });
  return r.count === 1;
}

export async function declineAgreement(tx: Tx, realmId: string, id: string, by: string | null, now: Date): Promise<boolean> {
  const r = await tx.agreement.updateMany({ where: { id, peerRealmId: realmId, state: "proposed" }, data: { state: "declined", decidedBy: by, decidedAt: now, endedByRealmId: realmId, endedAt: now } });
  return r.count === 1;
}

/** Either side revokes (the proposer may withdraw a proposal). */
export async function revokeAgreement(tx: Tx, realmId: string, id: string, now: Date): Promise<boolean> {
  const r = await tx.agreement.updateMany({ where: { id, state: { in: OPEN_STATES }, OR: [{ realmId }, { peerRealmId: realmId }] }, data: { state: "revoked", endedByRealmId: realmId, endedAt: now } });
  return r.count === 1;
}

const testSelect = { id: true, agreementId: true, reverse: true, status: true, delivered: true, reason: true, avc: true, createdAt: true, decidedAt: true } satisfies Prisma.AgreementTestSelect;
export type AgreementTestRow = Prisma.AgreementTestGetPayload<{ select: typeof testSelect }>;

export async function insertAgreementTest(tx: Tx, row: { realmId: string; id: string; agreementId: string; reverse: boolean; requestedBy: string | null }): Promise<void> {
  await tx.agreementTest.create({ data: row, select: { id: true } });
}

export function findAgreementTest(tx: Tx, realmId: string, id: string): Promise<AgreementTestRow | null> {
  return tx.agreementTest.findUnique({ where: { realmId_id: { realmId, id } }, select: testSelect });
}

// --- platform ------------------------------------------------------------------------------

/** The realm an organization's public handle (its slug) names, if it is a working realm. */
export async function unsafeResolvePeerRealm(platform: Tx, slug: string): Promise<string | null> {
  const org = await platform.organization.findUnique({ where: { slug }, select: { realm: { select: { id: true, status: true } } } });
  return org?.realm && org.realm.status === "ready" ? org.realm.id : null;
}

/** The organization slug of a realm (the proposer's public handle, shown to the peer). */
export async function unsafeRealmSlug(platform: Tx, realmId: string): Promise<string | null> {
  const realm = await platform.realm.findUnique({ where: { id: realmId }, select: { org: { select: { slug: true } } } });
  return realm?.org.slug ?? null;
}

/** Open agreements past their expiry become expired (the returned rows are the ones this call ended). */
/** Ends the open agreements past their expiry, in the caller's transaction (their records go with it). */
export async function unsafeExpireAgreements(tx: Tx, now: Date): Promise<AgreementRow[]> {
  const due = await tx.agreement.findMany({ where: { state: { in: OPEN_STATES }, expiresAt: { lte: now } }, select: agreementSelect });
  if (due.length === 0) return [];
  await tx.agreement.updateMany({ where: { id: { in: due.map((a) => a.id) }, state: { in: OPEN_STATES } }, data: { state: "expired", endedAt: now } });
  return due;
}

const vmEnd = { id: true, name: true, hostId: true, domid: true, observedState: true, realm: { select: { categoryLow: true, categoryHigh: true } } } satisfies Prisma.VmSelect;
const workSelect = { ...agreementSelect, hostId: true, fromVm: { select: vmEnd }, toVm: { select: vmEnd } } satisfies Prisma.AgreementSelect;
export type AgreementWork = Prisma.AgreementGetPayload<{ select: typeof workSelect }>;

/** What the worker reconciles: active agreements, and ended ones whose channel may still be open. */
export function unsafeAgreementsToSync(platform: Tx): Promise<AgreementWork[]> {
  return platform.agreement.findMany({
    where: { OR: [{ state: "active" }, { state: { in: ["revoked", "expired"] }, channelStatus: { in: ["open", "waiting"] } }] },
    orderBy: { createdAt: "asc" },
    select: workSelect,
  });
}

export function unsafeAgreement(platform: Tx, id: string): Promise<AgreementWork | null> {
  return platform.agreement.findUnique({ where: { id }, select: workSelect });
}

export async function unsafeNoteChannel(
  platform: Tx,
  id: string,
  channel: { channelStatus: "none" | "waiting" | "open" | "closed"; channelReason: string | null; hostId: string | null; delivered?: number; refused?: number; firstUsedAt?: Date },
): Promise<void> {
  await platform.agreement.update({ where: { id }, data: { ...channel, syncedAt: new Date() }, select: { id: true } });
}

export type PendingTest = { realmId: string; id: string; agreementId: string; reverse: boolean; createdAt: Date };

export function unsafePendingAgreementTests(platform: Tx): Promise<PendingTest[]> {
  return platform.agreementTest.findMany({ where: { status: "pending" }, orderBy: { createdAt: "asc" }, take: 100, select: { realmId: true, id: true, agreementId: true, reverse: true, createdAt: true } });
}

export async function unsafeDecideAgreementTest(platform: Tx, id: string, verdict: { status: "done" | "failed"; delivered: boolean | null; reason: string; avc: string[] }): Promise<void> {
  await platform.agreementTest.updateMany({ where: { id, status: "pending" }, data: { ...verdict, decidedAt: new Date() } });
}

/** Tests nobody answered within the timeout (the VMs' host unreachable): failed with the reason. */
export async function unsafeExpireAgreementTests(platform: Tx, timeoutMs: number, reason: string): Promise<number> {
  const r = await platform.agreementTest.updateMany({ where: { status: "pending", createdAt: { lt: new Date(Date.now() - timeoutMs) } }, data: { status: "failed", reason, decidedAt: new Date() } });
  return r.count;
}

/** Every agreement, for operators (newest first, bounded). */
export async function unsafeListAllAgreements(platform: Tx, page: PageRequest): Promise<Page<AgreementRow>> {
  const after = await cursorRow(page.cursor, (id) => platform.agreement.findUnique({ where: { id }, select: { id: true, createdAt: true } }));
  const rows = await platform.agreement.findMany({ where: afterCreated(after, "desc"), orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: agreementSelect, take: page.limit + 1 });
  return toPage(rows, page.limit, (row) => row.id);
}

/** The agreement (active) carrying x → y (or y → x when two-way), for explain. */
export function unsafeAgreementBetween(platform: Tx, fromVmId: string, toVmId: string): Promise<AgreementRow | null> {
  return platform.agreement.findFirst({
    where: { state: "active", OR: [{ fromVmId, toVmId }, { fromVmId: toVmId, toVmId: fromVmId, twoWay: true }] },
    select: agreementSelect,
  });
}

/** A VM of the realm by its name (the peer's VM an accepted proposal names). */
export async function findVmIdByName(tx: Tx, realmId: string, name: string): Promise<{ id: string; name: string } | null> {
  return tx.vm.findUnique({ where: { realmId_name: { realmId, name } }, select: { id: true, name: true } });
}

/** The realm that proposed an agreement id (null: none), for the audit record of a denial only, never for a reply. */
export async function unsafeAgreementOwner(platform: Tx, id: string): Promise<string | null> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return null;
  return (await platform.agreement.findUnique({ where: { id }, select: { realmId: true } }))?.realmId ?? null;
}
