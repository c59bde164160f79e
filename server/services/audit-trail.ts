import type { Db, Tx } from "../db/client";
import { DomainError } from "../errors";
import { isRawRule, sayAction, sayReason } from "../policy/audit-wording";
import type { AuditFilter } from "../repositories/audit-filter";
import { listTrailPage, nameKey, targetNames, unsafeActorUsers, unsafeListTrailPage, type TrailRow, type TrailRows } from "../repositories/audit-trail";
import { listMembers } from "../repositories/memberships";
import { unsafeOrgNamesOfRealms } from "../repositories/realms";

/**
 * The audit trail as people read it (issue 13), for a realm's members (realm.audit, GET
 * /api/v1/audit) and for operators (operator.trail): one row per action with its phases
 * (authorized → applied, or failed with the reason), the actor by name (a member, "token <name>
 * of <email>", "<email> (break-glass)" for an operator acting through a grant, "system"), the
 * action and the reason in words with the raw rule and the AVC lines beside them, the target by
 * name. Names come from one keyed query per kind and page, never per row.
 *
 * Keyset pages on the root event's id, newest first: `cursor`/`before` (older than that id) or
 * `after` (newer); the answer's `nextCursor` (older) and `prevCursor` (newer) are null at the ends.
 */

const CURSOR = /^[1-9]\d{0,18}$/;

export type TrailPageInput = { cursor?: string; before?: string; after?: string; limit: number };

function pageRequest(page: TrailPageInput) {
  const before = page.before ?? page.cursor;
  for (const [field, value] of [
    ["cursor", before],
    ["after", page.after],
  ] as const) {
    if (value !== undefined && !CURSOR.test(value)) {
      throw new DomainError("bad_input", `${field === "cursor" && page.before !== undefined ? "before" : field} is not valid: start again from the first page`, { field });
    }
  }
  return { before: before === undefined ? undefined : BigInt(before), after: page.after === undefined ? undefined : BigInt(page.after), limit: page.limit };
}

/** limit + 1 rows in either direction → the page, newest first, and its cursors both ways. */
function toTrailPage(result: TrailRows, page: TrailPageInput & { limit: number }) {
  const more = result.rows.length > page.limit;
  const items = result.rows.slice(0, page.limit);
  if (result.direction === "newer") items.reverse();
  const first = items[0]?.id.toString() ?? null;
  const last = items.at(-1)?.id.toString() ?? null;
  const started = page.before !== undefined || page.cursor !== undefined;
  return {
    items,
    nextCursor: result.direction === "older" ? (more ? last : null) : last,
    prevCursor: result.direction === "newer" ? (more ? first : null) : started ? first : null,
  };
}

const avcOf = (details: unknown): string[] => {
  const avc = (details as { avc?: unknown } | null)?.avc;
  return Array.isArray(avc) ? avc.filter((l): l is string => typeof l === "string") : [];
};

/** A deleted target's last known name, when its record kept one. */
const nameInDetails = (details: unknown): string | null => {
  const d = details as { name?: unknown; email?: unknown } | null;
  return typeof d?.name === "string" ? d.name : typeof d?.email === "string" ? d.email : null;
};

type Actor = { kind: "user" | "token" | "operator" | "break-glass" | "system"; name: string; words: string };

/** One row as the trail shows it (everything but actor and target names, added by the callers). */
function readable(row: TrailRow, names: Map<string, string>, actor: Actor) {
  const phases = row.phases.map((p) => ({
    id: p.id,
    phase: p.phase ?? "recorded",
    decision: p.decision,
    layer: p.layer,
    reason: p.reason,
    reasonWords: sayReason(p.reason, p.decision),
    avc: avcOf(p.details),
    createdAt: p.createdAt,
  }));
  const key = row.targetId === null ? undefined : nameKey(row.targetType, row.targetId);
  const denied = row.decision === "deny" || phases.some((p) => p.decision === "deny");
  const last = phases.at(-1);
  return {
    id: row.id.toString(),
    createdAt: row.createdAt,
    actor: actor.words,
    actorKind: actor.kind,
    actorName: actor.name,
    actorId: row.actorId,
    action: row.action,
    actionWords: sayAction(row.action),
    targetType: row.targetType,
    targetId: row.targetId,
    targetName: (key && names.get(key)) ?? nameInDetails(row.details),
    decision: row.decision,
    outcome: denied ? ("deny" as const) : ("allow" as const),
    layer: row.layer,
    reason: row.reason,
    reasonWords: sayReason(row.reason, row.decision),
    rule: isRawRule(row.reason, row.decision) ? row.reason : null,
    avc: avcOf(row.details),
    requestId: row.requestId,
    phase: row.phase ?? (phases.length > 0 ? "authorized" : "recorded"),
    status: last ? last.phase : row.decision === "deny" ? "denied" : (row.phase ?? "recorded"),
    phases,
  };
}

/**
 * Each row's actor. `members`: the realm's member ids, when known (an operator who is not a
 * member acts in a realm only through a grant, or as the platform); null on the operator's view,
 * where a grant shows in the rule.
 */
function actorOf(row: TrailRow, users: Map<string, { name: string; email: string; isPlatformOperator: boolean }>, tokens: Map<string, string>, members: Set<string> | null): Actor {
  if (row.actorId === null) return { kind: "system", name: "system", words: "system" };
  const user = users.get(row.actorId);
  const who = user?.email ?? "a deleted user";
  const name = user ? (user.name && user.name !== user.email ? `${user.name} <${user.email}>` : user.email) : who;
  if (row.actorTokenId !== null) {
    const token = tokens.get(row.actorTokenId) ?? "(deleted)";
    return { kind: "token", name: `token ${token} of ${name}`, words: `token ${token.replace(/ \(.*\)$/, "")} of ${who}` };
  }
  if (user?.isPlatformOperator && (members === null || !members.has(row.actorId))) {
    const glass = /break-?glass/i.test(row.action) || /break-glass/.test(row.reason);
    return glass ? { kind: "break-glass", name: `${name} (break-glass)`, words: `${who} (break-glass)` } : { kind: "operator", name: `${name} (platform operator)`, words: `${who} (platform operator)` };
  }
  return { kind: "user", name, words: who };
}

function refsOf(rows: TrailRow[]) {
  return [
    ...rows.filter((r) => r.targetId !== null).map((r) => ({ type: r.targetType, id: r.targetId! })),
    ...rows.filter((r) => r.actorTokenId !== null).map((r) => ({ type: "api-token", id: r.actorTokenId! })),
  ];
}

const tokenMap = (names: Map<string, string>, rows: TrailRow[]) =>
  new Map(rows.filter((r) => r.actorTokenId !== null).flatMap((r) => {
    const name = names.get(`token:${r.actorTokenId!.toLowerCase()}`);
    return name ? [[r.actorTokenId!, name] as const] : [];
  }));

/**
 * A realm's trail, for its members (audit.read). Runs on the realm's transaction: row-level
 * security keeps rows and target names to the realm; actors' emails come from the platform
 * client, keyed by the actors of this page only (an operator acting under a grant is no member).
 * It never reads or returns the realm a foreign target belonged to.
 */
export async function realmAuditPage(
  tx: Tx,
  platform: Db,
  scope: { realmId: string; orgId: string },
  input: TrailPageInput & Omit<AuditFilter, "realmId" | "againstRealmId">,
) {
  const { cursor, before, after, limit, ...filter } = input;
  const page = { cursor, before, after, limit };
  const result = await listTrailPage(tx, scope.realmId, filter, pageRequest(page));
  const { items, nextCursor, prevCursor } = toTrailPage(result, page);
  const userIds = [...new Set(items.map((r) => r.actorId).filter((id): id is string => id !== null))];
  const [names, users, members] = await Promise.all([
    targetNames(tx, refsOf(items)),
    unsafeActorUsers(platform, userIds),
    userIds.length > 0 ? listMembers(tx, scope.orgId) : Promise.resolve([]),
  ]);
  const memberIds = new Set(members.map((m) => m.user.id));
  const tokens = tokenMap(names, items);
  return { items: items.map((row) => readable(row, names, actorOf(row, users, tokens, memberIds))), nextCursor, prevCursor };
}

/**
 * The trail across realms, for operators: any realm (or the platform's own events), every filter,
 * "attempts against realm X" (againstRealmId), and each row's realm and, for a denial caused by a
 * foreign id, the realm that owned the target ("Globex user → Acme's VM").
 */
export async function operatorAuditPage(platform: Db, input: TrailPageInput & AuditFilter) {
  const { cursor, before, after, limit, ...filter } = input;
  const page = { cursor, before, after, limit };
  const result = await unsafeListTrailPage(platform, filter, pageRequest(page));
  const { items, nextCursor, prevCursor } = toTrailPage(result, page);
  const realmIds = [...new Set(items.flatMap((r) => [r.realmId, r.targetRealmId ?? null]).filter((id): id is string => id !== null))];
  const userIds = [...new Set(items.map((r) => r.actorId).filter((id): id is string => id !== null))];
  // A probe names the id it tried: a VM's, a disk's, a network's or a driver domain's.
  const probedRef = (row: TrailRow): { type: string; id: string } | null => {
    const details = row.details as { unverifiedVmId?: unknown; unverifiedDiskId?: unknown; unverifiedNetworkId?: unknown; unverifiedBackendId?: unknown } | null;
    const named = [["vm", details?.unverifiedVmId], ["disk", details?.unverifiedDiskId], ["network", details?.unverifiedNetworkId], ["driver-domain", details?.unverifiedBackendId]] as const;
    for (const [type, id] of named) if (typeof id === "string") return { type, id };
    return null;
  };
  const probed = (row: TrailRow) => probedRef(row)?.id ?? null;
  // Operators also read the name of the VM, disk or network a probe named (another realm's, by the platform role).
  const probes = items.flatMap((r) => (probedRef(r) ? [probedRef(r)!] : []));
  const [names, users, orgs] = await Promise.all([targetNames(platform, [...refsOf(items), ...probes]), unsafeActorUsers(platform, userIds), unsafeOrgNamesOfRealms(platform, realmIds)]);
  const tokens = tokenMap(names, items);
  return {
    items: items.map((row) => {
      const unverifiedVmId = probed(row);
      const shown = readable(row, names, actorOf(row, users, tokens, null));
      const ref = probedRef(row);
      const probedKey = ref === null ? undefined : nameKey(ref.type, ref.id);
      return {
        ...shown,
        targetName: shown.targetName ?? (probedKey ? (names.get(probedKey) ?? null) : null),
        realmId: row.realmId,
        org: row.realmId ? (orgs.get(row.realmId) ?? null) : null,
        targetRealmId: row.targetRealmId ?? null,
        targetOrg: row.targetRealmId ? (orgs.get(row.targetRealmId) ?? null) : null,
        // A probe with another realm's id names the id it tried (the row's target stays null).
        probedId: unverifiedVmId,
      };
    }),
    nextCursor,
    prevCursor,
  };
}
