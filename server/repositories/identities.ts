import type { Tx } from "../db/client";

/**
 * SSO links: an OpenID Connect subject of one issuer → a Realmgate user. Platform-only table.
 * The link, once made, decides who a subject signs in as (not its current email claim).
 */

export function unsafeFindIdentity(db: Tx, provider: string, subject: string) {
  return db.userIdentity.findUnique({
    where: { provider_subject: { provider, subject } },
    select: { userId: true, user: { select: { id: true, email: true, name: true, sessionEpoch: true } } },
  });
}

/** Links a subject to a user; an existing link of that subject is kept as it is. */
export async function unsafeLinkIdentity(db: Tx, link: { provider: string; subject: string; userId: string; email: string }): Promise<void> {
  await db.userIdentity.upsert({
    where: { provider_subject: { provider: link.provider, subject: link.subject } },
    create: { ...link, lastSignInAt: new Date() },
    update: { lastSignInAt: new Date() },
  });
}

export function unsafeListIdentitiesForUser(db: Tx, userId: string) {
  return db.userIdentity.findMany({ where: { userId }, orderBy: { createdAt: "asc" }, select: { provider: true, email: true, createdAt: true, lastSignInAt: true } });
}
