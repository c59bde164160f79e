-- One audit event per action, with phases (issue 13, "One event per action, readable"). Rows stay
-- append-only (the chain seals each one), so a lifecycle action is its root event (phase
-- 'authorized', written with the operation) plus a follow-up row that names it (parent_id) when
-- the worker settles it (phase 'applied' or 'failed'). The record MAC covers both columns when
-- set (server/audit-chain/canonical.ts), so rows written before them verify unchanged.
ALTER TABLE "audit_events" ADD COLUMN "parent_id" BIGINT;
ALTER TABLE "audit_events" ADD COLUMN "phase" TEXT;
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_phase_check"
    CHECK ("phase" IN ('authorized', 'applied', 'failed', 'denied'));
-- A page of root events finds its phases by key (never by scanning): (realm_id, parent_id).
CREATE INDEX "audit_events_realm_id_parent_id_idx" ON "audit_events"("realm_id", "parent_id");

-- The operation knows its authorization event (written in the same statement that inserts it,
-- repositories/operations.ts insertOperation), and the worker links the outcome to it.
ALTER TABLE "operations" ADD COLUMN "audit_event_id" BIGINT;

-- Cross-realm attempts show both sides, to operators only: the realm that owns the target of a
-- denial caused by a foreign id. Kept beside the event, keyed by its id, in the private schema:
-- the tenant role has no USAGE on it, so no grant, policy or column can leak it to a tenant.
CREATE TABLE "realmgate_private"."audit_target_realms" (
    "event_id" BIGINT NOT NULL,
    "target_realm_id" UUID NOT NULL,
    CONSTRAINT "audit_target_realms_pkey" PRIMARY KEY ("event_id")
);
-- "Attempts against realm X", newest first.
CREATE INDEX "audit_target_realms_target_realm_id_event_id_idx" ON "realmgate_private"."audit_target_realms"("target_realm_id", "event_id");
CREATE TRIGGER "audit_target_realms_append_only" BEFORE UPDATE OR DELETE ON "realmgate_private"."audit_target_realms"
    FOR EACH ROW EXECUTE FUNCTION "realmgate_forbid_audit_change"();
REVOKE ALL ON "realmgate_private"."audit_target_realms" FROM PUBLIC;
GRANT SELECT, INSERT ON "realmgate_private"."audit_target_realms" TO realmgate_platform;
