import type { Tx } from "../db/client";
import { DomainError } from "../errors";
import { Prisma, type MemberRole } from "../generated/prisma/client";
import { afterCreated, cursorRow, toPage, type PageRequest } from "./pagination";

/**
 * Invitations: a tenant table (row-level security on realm_id). Members create, list and revoke
 * them inside their realm's transaction; acceptance knows only a token, so it looks the
 * invitation up by the token's hash on the platform client (unsafe…).
 */

const listSelect = { id: true, email: true, role: true, createdById: true, expiresAt: true, createdAt: true } as const;

export async function insertInvitation(
  tx: Tx,
  realmId: string,
  invitation: { id: string; email: string; role: MemberRole; tokenHash: string; createdById: string; expiresAt: Date },
): Promise<void> {
  await tx.invitation.create({ data: { realmId, ...invitation }, select: { id: true } });
}

/** Invitations neither accepted, revoked nor expired, newest first. */
export async function listPendingInvitations(tx: Tx, realmId: string, now: Date, page: PageRequest) {
  // The cursor may name any invitation of the realm: one accepted or revoked since its page was
  // read still marks where the next page starts.
  const after = await cursorRow(page.cursor, (id) => tx.invitation.findUnique({ where: { realmId_id: { realmId, id } }, select: { id: true, createdAt: true } }));
  const rows = await tx.invitation.findMany({
    where: { realmId, acceptedAt: null, revokedAt: null, expiresAt: { gt: now }, ...afterCreated(after, "desc") },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: page.limit + 1,
    select: listSelect,
  });
  return toPage(rows, page.limit, (invitation) => invitation.id);
}

export function findPendingInvitationForEmail(tx: Tx, realmId: string, email: string, now: Date) {
  return tx.invitation.findFirst({ where: { realmId, email, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } }, select: listSelect });
}

/** The invitation of this realm, locked for the revocation; null for a missing or foreign id. */
export async function lockInvitationInRealm(tx: Tx, realmId: string, invitationId: string) {
  const [row] = await tx.$queryRaw<{ id: string; email: string; role: MemberRole; accepted_at: Date | null; revoked_at: Date | null; expires_at: Date }[]>`
    SELECT id, email, role, accepted_at, revoked_at, expires_at FROM invitations
    WHERE realm_id = ${realmId}::uuid AND id = ${invitationId}::uuid FOR UPDATE`;
  return row ? { id: row.id, email: row.email, role: row.role, acceptedAt: row.accepted_at, revokedAt: row.revoked_at, expiresAt: row.expires_at } : null;
}

export async function markInvitationRevoked(tx: Tx, realmId: string, invitationId: string, revokedById: string, now: Date): Promise<void> {
  await tx.invitation.updateMany({ where: { realmId, id: invitationId, acceptedAt: null, revokedAt: null }, data: { revokedAt: now, revokedById } });
}

export type TokenInvitation = {
  id: string;
  realmId: string;
  orgId: string;
  orgName: string;
  orgSlug: string;
  email: string;
  role: MemberRole;
  expiresAt: Date;
  acceptedAt: Date | null;
  revokedAt: Date | null;
  /** The realm's lifecycle status: a decommissioning organization takes no new members. */
  realmStatus: string;
};

/**
 * The invitation a token's hash names, with its organization; `lock` takes a row lock for the
 * acceptance (two tabs accepting at once: the second waits, then sees accepted_at). Unsafe: no
 * realm is known yet, so it runs on the platform client.
 */
export async function unsafeFindInvitationByTokenHash(platform: Tx, tokenHash: string, options: { lock: boolean }): Promise<TokenInvitation | null> {
  type Row = { realm_status: string; id: string; realm_id: string; org_id: string; org_name: string; org_slug: string; email: string; role: MemberRole; expires_at: Date; accepted_at: Date | null; revoked_at: Date | null };
  const rows = options.lock
    ? await platform.$queryRaw<Row[]>`
        SELECT r.status::text AS realm_status, i.id, i.realm_id, r.org_id, o.name AS org_name, o.slug AS org_slug, i.email, i.role, i.expires_at, i.accepted_at, i.revoked_at
        FROM invitations i JOIN realms r ON r.id = i.realm_id JOIN organizations o ON o.id = r.org_id
        WHERE i.token_hash = ${tokenHash} FOR UPDATE OF i FOR SHARE OF r`
    : await platform.$queryRaw<Row[]>`
        SELECT r.status::text AS realm_status, i.id, i.realm_id, r.org_id, o.name AS org_name, o.slug AS org_slug, i.email, i.role, i.expires_at, i.accepted_at, i.revoked_at
        FROM invitations i JOIN realms r ON r.id = i.realm_id JOIN organizations o ON o.id = r.org_id
        WHERE i.token_hash = ${tokenHash}`;
  const row = rows[0];
  if (!row) return null;
  return {
    id: row.id,
    realmId: row.realm_id,
    orgId: row.org_id,
    orgName: row.org_name,
    orgSlug: row.org_slug,
    email: row.email,
    role: row.role,
    expiresAt: row.expires_at,
    acceptedAt: row.accepted_at,
    revokedAt: row.revoked_at,
    realmStatus: row.realm_status,
  };
}

export async function unsafeMarkInvitationAccepted(platform: Tx, invitationId: string, userId: string, now: Date): Promise<void> {
  await platform.invitation.updateMany({ where: { id: invitationId, acceptedAt: null }, data: { acceptedAt: now, acceptedById: userId } });
}

/** The organization, its realm and how many owners it has (the operator's first-owner invitation). */
export async function unsafeFindOrgForInvitation(platform: Tx, orgId: string) {
  const org = await platform.organization.findUnique({
    where: { id: orgId },
    select: { id: true, name: true, realm: { select: { id: true, status: true } }, _count: { select: { memberships: { where: { role: "owner" } } } } },
  });
  if (!org?.realm) return null;
  return { id: org.id, name: org.name, realmId: org.realm.id, realmStatus: org.realm.status, ownerCount: org._count.memberships };
}

/** The account an invitation creates; an account made meanwhile for the same email is a conflict. */
export async function unsafeInsertInvitedUser(platform: Tx, user: { id: string; email: string; name: string; passwordHash: string }): Promise<void> {
  try {
    await platform.user.create({ data: { ...user, isPlatformOperator: false }, select: { id: true } });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new DomainError("conflict", `an account for ${user.email} was just created: sign in as ${user.email}, then open this link again`);
    }
    throw error;
  }
}
