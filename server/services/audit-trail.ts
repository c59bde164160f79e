import type { Db, Tx } from "../db/client";
import { DomainError } from "../errors";
import { tokenNames } from "../repositories/api-tokens";
import { listAuditPageForRealm } from "../repositories/audit";
import { listMembers } from "../repositories/memberships";
import { unsafeUserEmails } from "../repositories/users";

/**
 * A realm's audit trail as its members read it (the console and GET /api/v1/audit): newest
 * first, a page at a time (the cursor is the last id read), each row's actor in words: the
 * member's email, "token <name> of <email>" for a request made with an API token, "<email>
 * (break-glass)" for an operator acting through a grant, "system" for the worker and the like.
 */

const CURSOR = /^[1-9]\d{0,18}$/;

type Row = { actorId: string | null; actorTokenId: string | null; action: string; reason: string };

export async function realmAuditPage(tx: Tx, platform: Db, scope: { realmId: string; orgId: string }, page: { cursor?: string; limit: number }) {
  if (page.cursor !== undefined && !CURSOR.test(page.cursor)) {
    throw new DomainError("bad_input", "cursor is not valid: start again from the first page", { field: "cursor" });
  }
  const rows = await listAuditPageForRealm(tx, scope.realmId, { beforeId: page.cursor === undefined ? null : BigInt(page.cursor), limit: page.limit });
  const items = rows.slice(0, page.limit);
  const actors = await actorWords(tx, platform, scope.orgId, items);
  return {
    items: items.map(({ actorTokenId: _t, ...row }, i) => ({ ...row, id: row.id.toString(), actor: actors[i]! })),
    nextCursor: rows.length > page.limit ? (items.at(-1)?.id.toString() ?? null) : null,
  };
}

/** Each row's actor, in words (one query per kind of name, not per row). */
async function actorWords(tx: Tx, platform: Db, orgId: string, rows: Row[]): Promise<string[]> {
  const userIds = rows.map((r) => r.actorId).filter((id): id is string => id !== null);
  const tokenIds = rows.map((r) => r.actorTokenId).filter((id): id is string => id !== null);
  const [users, tokens, members] = await Promise.all([
    unsafeUserEmails(platform, userIds),
    tokenNames(tx, tokenIds),
    userIds.length > 0 ? listMembers(tx, orgId) : Promise.resolve([]),
  ]);
  const memberIds = new Set(members.map((m) => m.user.id));
  return rows.map((row) => {
    if (row.actorId === null) return "system";
    const user = users.get(row.actorId);
    const who = user?.email ?? "a deleted user";
    if (row.actorTokenId !== null) return `token ${tokens.get(row.actorTokenId) ?? "(deleted)"} of ${who}`;
    // An operator who is not a member acts here only through a grant, or as the platform
    // (quotas, onboarding, revoking a leaked token).
    if (user?.isPlatformOperator && !memberIds.has(row.actorId)) {
      return /break-?glass/i.test(row.action) || /break-glass/.test(row.reason) ? `${who} (break-glass)` : `${who} (platform operator)`;
    }
    return who;
  });
}
