import { randomUUID } from "node:crypto";
import type { Tx } from "../db/client";

/**
 * The local outbox (outbox_messages): mail a real mailer would send and then mark sent. The
 * tenant role may only insert (no SELECT: it cannot read links back), hence a plain INSERT
 * without RETURNING; pass the transaction that creates what the message announces.
 */

export async function enqueueMessage(tx: Tx, message: { to: string; subject: string; body: string }): Promise<void> {
  await tx.$executeRaw`INSERT INTO outbox_messages (id, "to", subject, body) VALUES (${randomUUID()}::uuid, ${message.to}, ${message.subject}, ${message.body})`;
}

/** Unsent messages, oldest first (a mailer; tests). Platform client only. */
export function unsafeListUnsentMessages(platform: Tx, take = 100) {
  return platform.outboxMessage.findMany({ where: { sentAt: null }, orderBy: { createdAt: "asc" }, take });
}

export async function unsafeMarkMessageSent(platform: Tx, id: string, now: Date): Promise<void> {
  await platform.outboxMessage.updateMany({ where: { id, sentAt: null }, data: { sentAt: now } });
}
