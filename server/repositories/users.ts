import type { Db } from "../db/client";

/** Users are platform-wide (not tenant rows). */

export function findUserForSession(db: Db, userId: string) {
  return db.user.findUnique({
    where: { id: userId },
    select: { id: true, email: true, name: true, sessionEpoch: true, isPlatformOperator: true },
  });
}

export function unsafeFindUserByEmailForSignIn(db: Db, email: string) {
  return db.user.findUnique({
    where: { email: email.trim().toLowerCase() },
    select: { id: true, email: true, name: true, passwordHash: true, sessionEpoch: true, isPlatformOperator: true },
  });
}
