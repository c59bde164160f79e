import { getServerSession } from "next-auth";
import type { SessionUser } from "./session-user";
import { authOptions } from "./options";

/** The caller's identity from next-auth's JWT (not yet checked against the database). */
export async function getSessionUser(): Promise<SessionUser | null> {
  const session = await getServerSession(authOptions);
  const user = session?.user as { id?: unknown; epoch?: unknown; sid?: unknown } | undefined;
  if (typeof user?.id !== "string" || typeof user.epoch !== "number") return null;
  return { id: user.id, epoch: user.epoch, ...(typeof user.sid === "string" ? { sid: user.sid } : {}) };
}
