import type { Tx } from "../db/client";

/** Users are platform-wide (not tenant rows). */

export function findUserForSession(db: Tx, userId: string) {
  return db.user.findUnique({
    where: { id: userId },
    select: { id: true, email: true, name: true, sessionEpoch: true, isPlatformOperator: true },
  });
}

export function unsafeFindUserByEmailForSignIn(db: Tx, email: string) {
  return db.user.findUnique({
    where: { email: email.trim().toLowerCase() },
    select: { id: true, email: true, name: true, passwordHash: true, sessionEpoch: true, isPlatformOperator: true },
  });
}

/** A user by email, without secrets (operators' explain). */
export function unsafeFindUserByEmail(platform: Tx, email: string) {
  return platform.user.findUnique({ where: { email }, select: { id: true, name: true, isPlatformOperator: true } });
}

/** User id → name and email, for the given users. */
export async function unsafeUserNames(platform: Tx, userIds: string[]): Promise<Map<string, { name: string; email: string }>> {
  const users = await platform.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true, email: true } });
  return new Map(users.map((u) => [u.id, { name: u.name, email: u.email }]));
}

/** Emails of users and whether each is a platform operator (audit trails name their actors). */
export async function unsafeUserEmails(platform: Tx, userIds: string[]): Promise<Map<string, { email: string; isPlatformOperator: boolean }>> {
  if (userIds.length === 0) return new Map();
  const users = await platform.user.findMany({ where: { id: { in: [...new Set(userIds)] } }, select: { id: true, email: true, isPlatformOperator: true } });
  return new Map(users.map((u) => [u.id, { email: u.email, isPlatformOperator: u.isPlatformOperator }]));
}

export function unsafeCountUsers(platform: Tx) {
  return platform.user.count();
}

export async function unsafeInsertUser(platform: Tx, user: { id: string; email: string; name: string; passwordHash: string; isPlatformOperator: boolean }): Promise<void> {
  await platform.user.create({ data: user });
}

/** The user's password hash and email, for a password change (platform client). */
export function findPasswordHashForUser(platform: Tx, userId: string) {
  return platform.user.findUnique({ where: { id: userId }, select: { email: true, passwordHash: true } });
}

export async function updatePasswordHash(platform: Tx, userId: string, passwordHash: string): Promise<void> {
  await platform.user.update({ where: { id: userId }, data: { passwordHash } });
}
