import { z } from "zod";

/**
 * The audit trail's filters as procedure inputs and page/link query parameters (the same names
 * everywhere: ?actor=&action=&target=&decision=&layer=&from=&to=&realmId=&againstRealmId=): see
 * repositories/audit-filter.ts for what each one matches. `from`/`to` are ISO 8601 dates or
 * date-times; `to` is exclusive.
 */

const words = (field: string) =>
  z
    .string({ error: `${field} must be a string` })
    .trim()
    .max(200, `${field} must be at most 200 characters`)
    .transform((v) => (v === "" ? undefined : v))
    .optional();

const date = (field: string) => z.coerce.date({ error: `${field} must be an ISO 8601 date or date-time` }).optional();

/** A realm member's filters: no realm choice (row-level security decides) and no target realm. */
export const auditFilterFields = {
  actor: words("actor").meta({ description: 'A user or API token id, "system", or words of the actor\'s email, name or token name' }),
  action: words("action").meta({ description: 'An action code ("vm.start") or its family ("vm")' }),
  target: words("target").meta({ description: "A target id, or words of its name (VM, disk, network, token, member, invitation)" }),
  decision: z.enum(["allow", "deny"], { error: "decision must be allow or deny" }).optional(),
  layer: words("layer").meta({ description: "trpc, database, hypervisor, worker or auth" }),
  from: date("from").meta({ description: "Events at or after this time (ISO 8601)" }),
  to: date("to").meta({ description: "Events before this time (ISO 8601)" }),
};

export const auditFilterInput = z.object(auditFilterFields).strict();

/** An operator's filters: one realm (`realmId`) and "attempts against realm X" (`againstRealmId`). */
export const operatorAuditFilterFields = {
  ...auditFilterFields,
  realmId: z
    .union([z.uuid({ error: "realmId must be a valid id or platform" }), z.literal("platform")])
    .optional()
    .meta({ description: "One realm's events, or `platform`: the platform's own events (no realm)" }),
  againstRealmId: z.uuid({ error: "againstRealmId must be a valid id" }).optional().meta({ description: "Attempts against this realm: denials whose target belonged to it" }),
};

export const operatorAuditFilterInput = z.object(operatorAuditFilterFields).strict();

export type AuditFilterInput = z.infer<typeof auditFilterInput>;
export type OperatorAuditFilterInput = z.infer<typeof operatorAuditFilterInput>;

/** The repository filter (repositories/audit-filter.ts AuditFilter) from an operator's input. */
export function operatorFilterOf(input: OperatorAuditFilterInput) {
  // "platform": the events of no realm (the repository's realmId null), as the export's realmId=platform.
  const { realmId, ...rest } = input;
  return { ...rest, realmId: realmId === "platform" ? null : realmId };
}

// ---------------------------------------------------------------------------------------------
// The trail's pages (realm.audit, operator.trail): one row per action, with its phases.

const dateTime = z.date().meta({ description: "ISO 8601 date-time", format: "date-time" });
const cursor = (field: string) => z.string({ error: `${field} must be a string` }).max(40, `${field} must be at most 40 characters`).optional();

/** Keyset paging on the row id: `before` (or `cursor`, the previous page's nextCursor) for older rows, `after` (prevCursor) for newer. */
export const trailPageFields = {
  cursor: cursor("cursor").meta({ description: "Older rows: the previous page's nextCursor" }),
  before: cursor("before").meta({ description: "Older rows than this id (same as cursor)" }),
  after: cursor("after").meta({ description: "Newer rows than this id: the page's prevCursor" }),
  limit: z.coerce.number({ error: "limit must be a number" }).int("limit must be a whole number").min(1, "limit must be at least 1").max(200, "limit must be at most 200").default(50),
  // tRPC's infinite queries send the direction they page in: accepted and ignored.
  direction: z.enum(["forward", "backward"], { error: "direction must be forward or backward" }).optional().meta({ description: "Ignored" }),
};

export const trailPhaseOutput = z
  .object({
    id: z.string(),
    phase: z.string().meta({ description: "applied, failed, or recorded" }),
    decision: z.enum(["allow", "deny"]),
    layer: z.string(),
    reason: z.string(),
    reasonWords: z.string(),
    avc: z.array(z.string()).meta({ description: "The hypervisor's AVC lines" }),
    createdAt: dateTime,
  })
  .meta({ id: "AuditPhase" });

export const auditTrailRowOutput = z
  .object({
    id: z.string().meta({ description: "A positive integer, as a string: the action's root event" }),
    createdAt: dateTime,
    actor: z.string().meta({ description: 'Who, in words: a member\'s email, "token <name> of <email>", "<email> (break-glass)", or "system"' }),
    actorKind: z.enum(["user", "token", "operator", "break-glass", "system"]),
    actorName: z.string().meta({ description: "The actor by name: name <email>, token <name (owner)> of …, (break-glass), system" }),
    actorId: z.uuid().nullable().meta({ description: "The acting user's id; null: the system" }),
    action: z.string(),
    actionWords: z.string().meta({ description: 'The action in words ("Start VM")' }),
    targetType: z.string(),
    targetId: z.string().nullable(),
    targetName: z.string().nullable().meta({ description: "The target's name (its last known one if deleted and recorded); null: unknown" }),
    decision: z.enum(["allow", "deny"]).meta({ description: "The root event's decision" }),
    outcome: z.enum(["allow", "deny"]).meta({ description: "deny when the root or any phase was denied" }),
    layer: z.string().meta({ description: "trpc, database, hypervisor, worker or auth" }),
    reason: z.string(),
    reasonWords: z.string().meta({ description: "The reason in plain words" }),
    rule: z.string().nullable().meta({ description: "The raw rule, when the words differ from it" }),
    avc: z.array(z.string()),
    requestId: z.string(),
    phase: z.string().meta({ description: "authorized (an action with phases), denied, or recorded" }),
    status: z.string().meta({ description: "Where the action stands: its last phase (applied, failed), authorized, denied, recorded" }),
    phases: z.array(trailPhaseOutput).meta({ description: "The follow-up phases, oldest first" }),
  })
  .meta({ id: "AuditEvent" });

export const auditTrailPage = z
  .object({ items: z.array(auditTrailRowOutput), nextCursor: z.string().nullable(), prevCursor: z.string().nullable() })
  .meta({ id: "AuditPage" });

export const operatorTrailRowOutput = auditTrailRowOutput
  .extend({
    realmId: z.uuid().nullable(),
    org: z.string().nullable().meta({ description: "The actor's realm's organization; null: the platform" }),
    targetRealmId: z.uuid().nullable().meta({ description: "A denial caused by a foreign id: the realm that owns the target (operators only)" }),
    targetOrg: z.string().nullable(),
    probedId: z.string().nullable().meta({ description: "The id a probe named (another realm's, or none)" }),
  })
  .meta({ id: "OperatorAuditTrailEvent" });

export const operatorTrailPage = z
  .object({ items: z.array(operatorTrailRowOutput), nextCursor: z.string().nullable(), prevCursor: z.string().nullable() })
  .meta({ id: "OperatorAuditPage" });
