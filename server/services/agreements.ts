import { randomUUID } from "node:crypto";
import type { Tx } from "../db/client";
import { DomainError } from "../errors";
import {
  acceptAgreement,
  declineAgreement,
  findAgreement,
  findAgreementTest,
  findVmIdByName,
  insertAgreement,
  insertAgreementTest,
  listAgreements,
  revokeAgreement,
  unsafeAgreementOwner,
  unsafeListAllAgreements,
  unsafeRealmSlug,
  unsafeResolvePeerRealm,
  type AgreementRow,
  type AgreementTestRow,
} from "../repositories/agreements";
import { recordAgreementPeerDecision, unsafeRecordForeignDenial } from "../repositories/audit";
import type { ProbeCaller } from "./audit-foreign";
import type { Page, PageRequest } from "../repositories/pagination";
import { findVmInRealm } from "../repositories/vms";
import { auditAllowed, type MemberScope } from "./member-audit";

/**
 * Cross-realm sharing agreements (issue 15 part 5). An owner of realm A proposes "A's VM x may
 * send to the VM named n of the organization o" (one way or both ways, on one Argo port); an
 * owner of o's realm B accepts (the VM is then resolved inside B's realm) or declines; either
 * side revokes; it expires (default 7 days, at most 90, set at proposal). The worker turns an
 * active agreement into an Argo bridge on the host, where FLASK decides every send
 * (worker/agreement-sync.ts, xen/argo-bridges.ts).
 *
 * Threat: a realm learning about, or acting for, another. A proposal answers the same whether the
 * organization and VM exist or not (a proposal to nobody stays "proposed" in A's own list, then
 * expires); A never sees B's VM ids; only B's side can accept or decline (the statement binds the
 * peer's realm: an owner of A calling accept on A's proposal is refused); foreign agreement ids
 * answer exactly like missing ones (row-level security shows an agreement to its two realms
 * only). The peer realm's record is written in the caller's transaction, so both realms' records
 * commit with the change or not at all (a policy admits exactly that record: migration
 * agreement_peer_records), with no actor id (the actor belongs to the other realm); the proposal
 * reaches B's trail only when it reached a real realm.
 */

type Scope = MemberScope;

export const AGREEMENT_NOT_FOUND = "agreement not found";
export const AGREEMENT_TEST_NOT_FOUND = "agreement test not found";
export const DEFAULT_AGREEMENT_PORT = 7000;
export const DEFAULT_AGREEMENT_DAYS = 7;
export const MAX_AGREEMENT_DAYS = 90;
const DAY_MS = 24 * 60 * 60 * 1000;

export type ProposeInput = { fromVmId: string; targetOrg: string; targetVmName: string; twoWay: boolean; port: number | null; expiresInDays: number | null };

export type AgreementView = {
  id: string;
  direction: "outgoing" | "incoming";
  /** The other organization's public handle (slug). */
  peer: string;
  from: { vmId: string | null; name: string; org: string };
  to: { vmId: string | null; name: string; org: string };
  twoWay: boolean;
  port: number;
  state: "proposed" | "active" | "revoked" | "expired" | "declined";
  expiresAt: Date;
  createdAt: Date;
  decidedAt: Date | null;
  endedAt: Date | null;
  endedBy: "this realm" | "the other realm" | null;
  channel: { status: "none" | "waiting" | "open" | "closed"; reason: string | null; delivered: number; refused: number; firstUsedAt: Date | null; syncedAt: Date | null };
};

/** The view of an agreement from one of its realms (ids of the other realm's VM are never shown). */
export function agreementView(row: AgreementRow, realmId: string | null, now = new Date()): AgreementView {
  const outgoing = realmId === null || row.realmId === realmId;
  const open = row.state === "proposed" || row.state === "active";
  return {
    id: row.id,
    direction: outgoing ? "outgoing" : "incoming",
    peer: outgoing ? row.targetOrg : row.sourceOrg,
    from: { vmId: outgoing ? row.fromVmId : null, name: row.fromVmName, org: row.sourceOrg },
    to: { vmId: realmId === null || !outgoing ? row.toVmId : null, name: row.targetVmName, org: row.targetOrg },
    twoWay: row.twoWay,
    port: row.port,
    // Past its expiry it is expired, even before the worker's next poll records it.
    state: open && row.expiresAt <= now ? "expired" : (row.state as AgreementView["state"]),
    expiresAt: row.expiresAt,
    createdAt: row.createdAt,
    decidedAt: row.decidedAt,
    endedAt: row.endedAt,
    endedBy: row.endedByRealmId === null ? null : row.endedByRealmId === realmId ? "this realm" : "the other realm",
    channel: { status: row.channelStatus as AgreementView["channel"]["status"], reason: row.channelReason, delivered: row.delivered, refused: row.refused, firstUsedAt: row.firstUsedAt, syncedAt: row.syncedAt },
  };
}

/** The realm's agreements, outgoing and incoming, newest first, a page at a time. */
export async function listRealmAgreements(tx: Tx, realmId: string, page: PageRequest): Promise<Page<AgreementView>> {
  const now = new Date();
  const rows = await listAgreements(tx, realmId, page);
  return { items: rows.items.map((r) => agreementView(r, realmId, now)), nextCursor: rows.nextCursor };
}

/** Operators: every agreement, both parties named, newest first, a page at a time. */
export async function unsafeListAgreementsForOperators(platform: Tx, page: PageRequest): Promise<Page<AgreementView>> {
  const now = new Date();
  const rows = await unsafeListAllAgreements(platform, page);
  return { items: rows.items.map((r) => agreementView(r, null, now)), nextCursor: rows.nextCursor };
}

const describe = (a: { fromVmName: string; sourceOrg: string; targetOrg: string; targetVmName: string; twoWay: boolean; port: number; expiresAt: Date }) =>
  `${a.sourceOrg}/${a.fromVmName} ${a.twoWay ? "↔" : "→"} ${a.targetOrg}/${a.targetVmName} over Argo port ${a.port}, until ${a.expiresAt.toISOString()}`;

/** A record in the other realm's trail, in the caller's transaction. */
function auditPeer(tx: Tx, realmId: string, scope: Scope, action: string, agreementId: string, reason: string): Promise<void> {
  return recordAgreementPeerDecision(tx, { realmId, actorId: null, actorTokenId: null, action, targetType: "agreement", targetId: agreementId, decision: "allow", layer: "trpc", reason, requestId: scope.actor.requestId });
}

export async function proposeAgreement(tx: Tx, platform: Tx, scope: Scope, input: ProposeInput): Promise<{ agreementId: string }> {
  const days = input.expiresInDays ?? DEFAULT_AGREEMENT_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > MAX_AGREEMENT_DAYS) throw new DomainError("bad_input", `expiresInDays: from 1 to ${MAX_AGREEMENT_DAYS} days`, { field: "expiresInDays" });
  const vm = await findVmInRealm(tx, scope.realmId, input.fromVmId);
  // Another realm's VM answers exactly like a missing one.
  if (!vm) throw new DomainError("not_found", "VM not found", { field: "fromVmId" });
  const targetOrg = input.targetOrg.trim().toLowerCase();
  const [peerRealmId, sourceOrg] = await Promise.all([unsafeResolvePeerRealm(platform, targetOrg), unsafeRealmSlug(platform, scope.realmId)]);
  if (!sourceOrg) throw new DomainError("conflict", "the realm has no organization handle");
  if (targetOrg === sourceOrg) throw new DomainError("bad_input", "targetOrg: an agreement is with another organization's realm", { field: "targetOrg" });
  const id = randomUUID();
  const row = { fromVmName: vm.name, sourceOrg, targetOrg, targetVmName: input.targetVmName.trim(), twoWay: input.twoWay, port: input.port ?? DEFAULT_AGREEMENT_PORT, expiresAt: new Date(Date.now() + days * DAY_MS) };
  // peer_realm_id stays null when the handle names no working realm: the row is then A's alone.
  await insertAgreement(tx, { id, realmId: scope.realmId, peerRealmId: peerRealmId === scope.realmId ? null : peerRealmId, fromVmId: vm.id, proposedBy: scope.actor.userId, ...row });
  await auditAllowed(tx, scope, "agreement.propose", "agreement", id, `${scope.rule}; proposed ${describe(row)}`);
  if (peerRealmId && peerRealmId !== scope.realmId) {
    await auditPeer(tx, peerRealmId, scope, "agreement.received", id, `an owner of ${sourceOrg} proposed ${describe(row)}; an owner of this realm may accept or decline it`);
  }
  return { agreementId: id };
}

/**
 * Runs `fn`; when it answers that the agreement is not found, records the denial for operators
 * (the caller's trail, and the owning realm in the private side table when the id is another
 * realm's), as for a foreign VM, disk or network id, and rethrows: the answer stays the same.
 */
export async function auditedAgreementLookup<T>(caller: ProbeCaller, agreementId: string, action: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof DomainError && error.kind === "not_found" && error.message === AGREEMENT_NOT_FOUND && caller.provenSameOrigin) {
      const owner = await unsafeAgreementOwner(caller.platformDb, agreementId);
      await unsafeRecordForeignDenial(
        caller.platformDb,
        {
          realmId: caller.realm.id,
          actorId: caller.user.id,
          actorTokenId: caller.token?.id ?? null,
          action,
          targetType: "agreement",
          targetId: null,
          decision: "deny",
          layer: "trpc",
          reason: "Agreement not found in this realm",
          requestId: caller.requestId,
          details: { unverifiedAgreementId: agreementId },
        },
        owner !== null && owner !== caller.realm.id ? owner : null,
      );
    }
    throw error;
  }
}

async function mine(tx: Tx, realmId: string, id: string): Promise<AgreementRow> {
  const row = await findAgreement(tx, realmId, id);
  if (!row) throw new DomainError("not_found", AGREEMENT_NOT_FOUND);
  return row;
}

/** Only the peer realm decides a proposal; the proposer asking is refused (it knows its own proposal). */
async function peerSide(tx: Tx, scope: Scope, id: string, verb: string): Promise<AgreementRow> {
  const row = await mine(tx, scope.realmId, id);
  // The proposer's own realm: a state refusal (it awaits the other side), never a decision for it.
  if (row.peerRealmId !== scope.realmId) throw new DomainError("conflict", `only an owner of the other realm (${row.targetOrg}) can ${verb} this proposal`, { rule: "agreement:peer-decides" });
  if (row.state !== "proposed") throw new DomainError("conflict", `the agreement is ${row.state}, not proposed`);
  if (row.expiresAt <= new Date()) throw new DomainError("conflict", "the proposal has expired");
  return row;
}

export async function acceptProposal(tx: Tx, scope: Scope, id: string): Promise<{ agreementId: string; state: "active" }> {
  const row = await peerSide(tx, scope, id, "accept");
  const vm = await findVmIdByName(tx, scope.realmId, row.targetVmName);
  if (!vm) throw new DomainError("bad_input", `this realm has no VM named '${row.targetVmName}': create it (or decline)`, { field: "agreementId" });
  if (!(await acceptAgreement(tx, scope.realmId, id, vm.id, scope.actor.userId, new Date()))) throw new DomainError("conflict", "the proposal changed meanwhile; reload");
  await auditAllowed(tx, scope, "agreement.accept", "agreement", id, `${scope.rule}; accepted ${describe(row)} (VM ${vm.id})`);
  await auditPeer(tx, row.realmId, scope, "agreement.accept", id, `an owner of ${row.targetOrg} accepted ${describe(row)}`);
  return { agreementId: id, state: "active" };
}

export async function declineProposal(tx: Tx, scope: Scope, id: string): Promise<{ agreementId: string; state: "declined" }> {
  const row = await peerSide(tx, scope, id, "decline");
  if (!(await declineAgreement(tx, scope.realmId, id, scope.actor.userId, new Date()))) throw new DomainError("conflict", "the proposal changed meanwhile; reload");
  await auditAllowed(tx, scope, "agreement.decline", "agreement", id, `${scope.rule}; declined ${describe(row)}`);
  await auditPeer(tx, row.realmId, scope, "agreement.decline", id, `an owner of ${row.targetOrg} declined ${describe(row)}`);
  return { agreementId: id, state: "declined" };
}

/** Either side ends it at any moment; the worker closes the channel on the host at its next poll. */
export async function revokeAgreementBySide(tx: Tx, scope: Scope, id: string): Promise<{ agreementId: string; state: "revoked" }> {
  const row = await mine(tx, scope.realmId, id);
  if (!(await revokeAgreement(tx, scope.realmId, id, new Date()))) throw new DomainError("conflict", `the agreement is already ${row.state}`);
  const self = row.realmId === scope.realmId ? row.sourceOrg : row.targetOrg;
  await auditAllowed(tx, scope, "agreement.revoke", "agreement", id, `${scope.rule}; revoked ${describe(row)}`);
  const other = row.realmId === scope.realmId ? row.peerRealmId : row.realmId;
  if (other) await auditPeer(tx, other, scope, "agreement.revoke", id, `an owner of ${self} revoked ${describe(row)}`);
  return { agreementId: id, state: "revoked" };
}

/**
 * A test send over an accepted agreement (reverse: from the destination back), run by the worker
 * on the host. Also after revocation or expiry: the host then answers with FLASK's denial, which
 * is what a member wants to see (the channel is really closed, not only hidden).
 */
export async function requestAgreementTest(tx: Tx, scope: Scope, id: string, reverse: boolean): Promise<{ testId: string }> {
  const row = await mine(tx, scope.realmId, id);
  if (row.toVmId === null) throw new DomainError("conflict", `the agreement is ${row.state}: it was never accepted, there is no channel to test`);
  const testId = randomUUID();
  await insertAgreementTest(tx, { realmId: scope.realmId, id: testId, agreementId: id, reverse, requestedBy: scope.actor.userId });
  return { testId };
}

export async function getAgreementTest(tx: Tx, realmId: string, testId: string): Promise<AgreementTestRow> {
  const t = await findAgreementTest(tx, realmId, testId);
  if (!t) throw new DomainError("not_found", AGREEMENT_TEST_NOT_FOUND);
  return t;
}
