import type { Tx } from "../db/client";

/**
 * "This user's access may have shrunk": a platform NOTIFY carrying only the user id, sent in the
 * transaction that revokes (a session, a break-glass grant, a membership or its role), so
 * listeners hear of it only once the change has committed. Web processes re-validate that
 * user's open live-update streams on it (services/access-revocations.ts). The channel's name is
 * keyed (realmgate_access_channel(), platform role only): a tenant session cannot LISTEN to it.
 */

export async function notifyAccessChanged(platform: Tx, userId: string): Promise<void> {
  await platform.$executeRaw`SELECT pg_notify(realmgate_access_channel(), ${userId})`;
}

/** The channel's name, for the listener (platform client only). */
export async function unsafeAccessChannel(platform: Tx): Promise<string> {
  const rows = await platform.$queryRaw<{ channel: string }[]>`SELECT realmgate_access_channel() AS channel`;
  return rows[0]!.channel;
}
