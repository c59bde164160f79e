import { createHash, randomBytes, randomUUID } from "node:crypto";
import { transaction, type Db, type Tx } from "../db/client";
import { DomainError, notFound } from "../errors";
import { decideInvite, ROLE_DESCRIPTIONS } from "../policy/people";
import type { Role } from "../policy/permissions";
import { recordDecision, type DecisionRecord } from "../repositories/audit";
import {
  findPendingInvitationForEmail,
  insertInvitation,
  listPendingInvitations,
  lockInvitationInRealm,
  markInvitationRevoked,
  unsafeFindInvitationByTokenHash,
  unsafeFindOrgForInvitation,
  unsafeInsertInvitedUser,
  unsafeMarkInvitationAccepted,
  type TokenInvitation,
} from "../repositories/invitations";
import { listMembers, memberNames, unsafeFindMembership, unsafeInsertMembership } from "../repositories/memberships";
import type { PageRequest } from "../repositories/pagination";
import { enqueueMessage } from "../repositories/outbox";
import { unsafeFindUserByEmail } from "../repositories/users";

/**
 * Invitations: a one-time link that makes one person (one email) a member of one organization
 * in one role. Threats and what stops each:
 * - a guessed link: 256 random bits (base64url), looked up by its SHA-256 only;
 * - a leaked database or backup: only hashes are stored, so no row yields a usable link (the
 *   link exists in the creator's answer, once, and in the outbox a mailer drains);
 * - a link used twice (two tabs, a forwarded mail): acceptance locks the row and sets
 *   accepted_at in the transaction that adds the membership;
 * - an expired or revoked link: checked under the same lock;
 * - someone else holding the link: a new account gets exactly the invited email, and a signed-in
 *   user must be that email;
 * - probing: an unknown token, malformed or not, answers one message that names no
 *   organization.
 */

export const INVITATION_TTL_MS = 72 * 60 * 60 * 1000;
const TOKEN_BYTES = 32;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export const hashToken = (token: string): string => createHash("sha256").update(token, "utf8").digest("hex");

export function invitationLink(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, "")}/invite/${token}`;
}

/** One message per way a link can fail; none names an organization. */
export const INVITATION_MESSAGES = {
  invalid: "This invitation link is not valid. Check that you copied the whole link, or ask for a new invitation.",
  accepted: "This invitation has already been used. If it was you, sign in; otherwise ask for a new invitation.",
  expired: "This invitation has expired. Ask the person who invited you to send a new one.",
  revoked: "This invitation was withdrawn. Ask the person who invited you if you still need access.",
} as const;
export type InvitationProblem = keyof typeof INVITATION_MESSAGES;

type Actor = { userId: string; requestId: string; tokenId?: string | null };
type RealmScope = { realmId: string; orgId: string; orgName: string };

function event(
  realmId: string | null,
  actor: { userId: string | null; requestId: string; tokenId?: string | null },
  action: string,
  targetType: string,
  targetId: string | null,
  reason: string,
  details?: Record<string, string | boolean>,
): DecisionRecord {
  return { realmId, actorId: actor.userId, actorTokenId: actor.tokenId ?? null, action, targetType, targetId, decision: "allow", layer: "trpc", reason, requestId: actor.requestId, ...(details ? { details } : {}) };
}

async function issue(
  tx: Tx,
  scope: RealmScope,
  actor: Actor,
  input: { email: string; role: Role; baseUrl: string; now: Date; action: string },
): Promise<{ invitationId: string; link: string; email: string; role: Role; expiresAt: Date }> {
  if (await findPendingInvitationForEmail(tx, scope.realmId, input.email, input.now)) {
    throw new DomainError("conflict", `${input.email} already has a pending invitation; revoke it to send a new one`, { field: "email" });
  }
  const token = randomBytes(TOKEN_BYTES).toString("base64url");
  const invitationId = randomUUID();
  const expiresAt = new Date(input.now.getTime() + INVITATION_TTL_MS);
  await insertInvitation(tx, scope.realmId, { id: invitationId, email: input.email, role: input.role, tokenHash: hashToken(token), createdById: actor.userId, expiresAt });
  const link = invitationLink(input.baseUrl, token);
  await enqueueMessage(tx, {
    to: input.email,
    subject: `You are invited to ${scope.orgName} on Realmgate`,
    body: [
      `You are invited to join ${scope.orgName} on Realmgate as ${ROLE_DESCRIPTIONS[input.role].label}.`,
      ROLE_DESCRIPTIONS[input.role].description,
      "",
      `Open this link to accept (valid until ${expiresAt.toISOString()}, usable once):`,
      link,
    ].join("\n"),
  });
  await recordDecision(tx, event(scope.realmId, actor, input.action, "invitation", invitationId, `invited ${input.email} as ${input.role}`, { email: input.email, role: input.role }));
  return { invitationId, link, email: input.email, role: input.role, expiresAt };
}

/**
 * An owner or admin invites someone (tx: the caller's realm transaction, so the invitation, its
 * outbox message and its audit record commit together). The link is in this answer only.
 */
export async function createInvitation(
  tx: Tx,
  scope: RealmScope,
  actor: Actor & { role: Role },
  input: { email: string; role: Role; baseUrl: string },
  now = new Date(),
) {
  const decision = decideInvite(actor.role, input.role);
  if (!decision.allowed) throw new DomainError("forbidden", decision.reason, { rule: decision.rule, field: "role" });
  const members = await listMembers(tx, scope.orgId);
  if (members.some((m) => m.user.email === input.email)) {
    throw new DomainError("conflict", `${input.email} is already a member of ${scope.orgName}`, { field: "email" });
  }
  return issue(tx, scope, actor, { ...input, now, action: "realm.invitation.create" });
}

/** A page of the realm's pending invitations, newest first, with who created each (a name when still a member). */
export async function listInvitations(tx: Tx, scope: RealmScope, page: PageRequest, now = new Date()) {
  const pending = await listPendingInvitations(tx, scope.realmId, now, page);
  const names = await memberNames(tx, scope.orgId, pending.items.map((i) => i.createdById));
  return {
    items: pending.items.map(({ createdById, ...invitation }) => ({ ...invitation, createdBy: names.get(createdById) ?? "a platform operator or former member" })),
    nextCursor: pending.nextCursor,
  };
}

/** Revokes a pending invitation of the caller's realm; a foreign id answers like a missing one. */
export async function revokeInvitation(tx: Tx, scope: RealmScope, actor: Actor & { role: Role }, invitationId: string, now = new Date()): Promise<{ revoked: true }> {
  const invitation = await lockInvitationInRealm(tx, scope.realmId, invitationId);
  if (!invitation) throw notFound("invitation");
  const decision = decideInvite(actor.role, invitation.role);
  if (!decision.allowed) throw new DomainError("forbidden", "only an owner can revoke an invitation to the owner role", { rule: decision.rule });
  if (invitation.acceptedAt) throw new DomainError("precondition_failed", "this invitation was already accepted; remove the member instead");
  if (invitation.revokedAt) throw new DomainError("precondition_failed", "this invitation was already revoked");
  await markInvitationRevoked(tx, scope.realmId, invitationId, actor.userId, now);
  await recordDecision(tx, event(scope.realmId, actor, "realm.invitation.revoke", "invitation", invitationId, `revoked the invitation of ${invitation.email} (${invitation.role})`, { email: invitation.email, role: invitation.role }));
  return { revoked: true };
}

/**
 * A platform operator invites an organization's first owner. Only while the organization has
 * no owner: an operator must not be able to invite itself (or anyone) into a tenant that has
 * owners of its own; they invite the rest. Platform client; audited in the realm's trail.
 */
export async function unsafeInviteFirstOwner(platform: Db, actor: Actor, input: { orgId: string; email: string; baseUrl: string }, now = new Date()) {
  return transaction(platform, async (tx) => {
    const org = await unsafeFindOrgForInvitation(tx, input.orgId);
    if (!org) throw notFound("organization");
    if (CLOSED_REALM.has(org.realmStatus)) throw new DomainError("precondition_failed", `${org.name} is decommissioned; it takes no new members`);
    if (org.ownerCount > 0) {
      throw new DomainError("precondition_failed", `${org.name} already has an owner; its owners invite everyone else`);
    }
    return issue(tx, { realmId: org.realmId, orgId: org.id, orgName: org.name }, actor, { email: input.email, role: "owner", baseUrl: input.baseUrl, now, action: "operator.invitation.first-owner" });
  });
}

// ---------------------------------------------------------------------------------------------
// Acceptance (public: the token is the only credential until the person has an account)

export type InvitationPreview =
  | { ok: true; orgName: string; role: Role; roleLabel: string; roleDescription: string; email: string; expiresAt: Date; hasAccount: boolean }
  | { ok: false; problem: InvitationProblem; message: string };

function problemOf(invitation: TokenInvitation | null, now: Date): InvitationProblem | null {
  if (!invitation) return "invalid";
  if (invitation.acceptedAt) return "accepted";
  // A decommissioned (or decommissioning) organization takes nobody in: as if revoked. The
  // acceptance holds a share lock on the realm row, so offboarding cannot slip in between.
  if (invitation.revokedAt || CLOSED_REALM.has(invitation.realmStatus)) return "revoked";
  if (invitation.expiresAt <= now) return "expired";
  return null;
}

const CLOSED_REALM = new Set(["decommissioning", "decommissioned"]);

const failed = (problem: InvitationProblem) => ({ ok: false as const, problem, message: INVITATION_MESSAGES[problem] });

async function lookUp(platform: Tx, token: string, lock: boolean): Promise<TokenInvitation | null> {
  if (!TOKEN_PATTERN.test(token)) return null;
  return unsafeFindInvitationByTokenHash(platform, hashToken(token), { lock });
}

/** What the link's page shows: the organization and role, or one message for what is wrong. */
export async function previewInvitation(platform: Db, token: string, now = new Date()): Promise<InvitationPreview> {
  const invitation = await lookUp(platform, token, false);
  const problem = problemOf(invitation, now);
  if (problem || !invitation) return failed(problem ?? "invalid");
  const hasAccount = (await unsafeFindUserIdByEmail(platform, invitation.email)) !== null;
  const role = ROLE_DESCRIPTIONS[invitation.role];
  return { ok: true, orgName: invitation.orgName, role: invitation.role, roleLabel: role.label, roleDescription: role.description, email: invitation.email, expiresAt: invitation.expiresAt, hasAccount };
}

async function unsafeFindUserIdByEmail(platform: Tx, email: string): Promise<string | null> {
  return (await unsafeFindUserByEmail(platform, email))?.id ?? null;
}

/**
 * Refuses with the problem's message, and writes the refusal in the realm's trail (a token that
 * names no invitation has no realm: its refusal is written without one).
 */
async function refuse(platform: Db, invitation: TokenInvitation | null, problem: InvitationProblem | "other-email" | "has-account" | "already-member", actor: { userId: string | null; requestId: string }, message: string, kind: "not_found" | "precondition_failed" | "forbidden"): Promise<never> {
  await recordDecision(platform, {
    ...event(invitation?.realmId ?? null, actor, "realm.invitation.accept", "invitation", invitation?.id ?? null, `refused: ${problem}`),
    decision: "deny",
    layer: "auth",
  });
  throw new DomainError(kind, message, { problem });
}

/** The invitation behind a token, valid now, or a refusal (audited) with its one message. */
export async function requireValidInvitation(platform: Db, token: string, actor: { userId: string | null; requestId: string }, now = new Date()): Promise<TokenInvitation> {
  const invitation = await lookUp(platform, token, false);
  const problem = problemOf(invitation, now);
  if (problem || !invitation) return refuse(platform, invitation, problem ?? "invalid", actor, INVITATION_MESSAGES[problem ?? "invalid"], problem === "invalid" ? "not_found" : "precondition_failed");
  return invitation;
}

/**
 * Consumes the invitation under its row lock (the second of two concurrent acceptances waits,
 * then finds it used) and adds the membership, in one transaction with the audit records.
 */
async function consume(platform: Db, token: string, now: Date, requestId: string, join: (tx: Tx, invitation: TokenInvitation) => Promise<{ userId: string; isNewAccount: boolean }>) {
  return transaction(platform, async (tx) => {
    const invitation = await lookUp(tx, token, true);
    const problem = problemOf(invitation, now);
    if (problem || !invitation) throw new DomainError(problem === "invalid" ? "not_found" : "precondition_failed", INVITATION_MESSAGES[problem ?? "invalid"], { problem });
    const { userId, isNewAccount } = await join(tx, invitation);
    await unsafeInsertMembership(tx, { orgId: invitation.orgId, userId, role: invitation.role });
    await unsafeMarkInvitationAccepted(tx, invitation.id, userId, now);
    const actor = { userId, requestId };
    await recordDecision(tx, event(invitation.realmId, actor, "realm.invitation.accept", "invitation", invitation.id, `${invitation.email} accepted the invitation${isNewAccount ? " and created an account" : ""}`, { email: invitation.email, role: invitation.role, newAccount: isNewAccount }));
    await recordDecision(tx, event(invitation.realmId, actor, "realm.members.add", "member", userId, `${invitation.email} joined as ${invitation.role}`, { email: invitation.email, role: invitation.role }));
    return { orgName: invitation.orgName, orgSlug: invitation.orgSlug, role: invitation.role, email: invitation.email };
  });
}

/** A person without an account: the account (invited email, chosen name, hashed password) and the membership. */
export async function acceptAsNewUser(platform: Db, input: { token: string; name: string; passwordHash: string; requestId: string }, now = new Date()) {
  const invitation = await requireValidInvitation(platform, input.token, { userId: null, requestId: input.requestId }, now);
  if (await unsafeFindUserIdByEmail(platform, invitation.email)) {
    return refuse(platform, invitation, "has-account", { userId: null, requestId: input.requestId }, `An account for ${invitation.email} already exists: sign in as ${invitation.email}, then open this link again.`, "precondition_failed");
  }
  return consume(platform, input.token, now, input.requestId, async (tx, locked) => {
    const userId = randomUUID();
    await unsafeInsertInvitedUser(tx, { id: userId, email: locked.email, name: input.name, passwordHash: input.passwordHash });
    return { userId, isNewAccount: true };
  });
}

/** A signed-in user: only as the invited email; an existing member is told so (the link stays usable). */
export async function acceptAsUser(platform: Db, user: { id: string; email: string }, input: { token: string; requestId: string }, now = new Date()) {
  const actor = { userId: user.id, requestId: input.requestId };
  const invitation = await requireValidInvitation(platform, input.token, actor, now);
  if (user.email.toLowerCase() !== invitation.email) {
    return refuse(platform, invitation, "other-email", actor, `This invitation is for ${invitation.email}, but you are signed in as ${user.email}. Sign out, then open the link again and sign in as ${invitation.email}.`, "forbidden");
  }
  if (await unsafeFindMembership(platform, invitation.orgId, user.id)) {
    return refuse(platform, invitation, "already-member", actor, `You are already a member of ${invitation.orgName}.`, "precondition_failed");
  }
  return consume(platform, input.token, now, input.requestId, async () => ({ userId: user.id, isNewAccount: false }));
}
