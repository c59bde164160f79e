-- Audit trail (issue 13): filtered pages of a realm's trail served by indexes, and the watermark
-- of sealed target realms.

-- A realm's trail filtered on decision or layer (repositories/audit-trail.ts): the newest roots
-- that match, and the newest roots whose phase matches (a start the hypervisor refused), each an
-- ordered walk of its own index instead of a walk of the whole realm. Partial: a root
-- (parent_id NULL) enters two of them, a phase two.
CREATE INDEX "audit_events_root_decision_idx" ON "audit_events"("realm_id", "decision", "id") WHERE "parent_id" IS NULL;
CREATE INDEX "audit_events_root_layer_idx" ON "audit_events"("realm_id", "layer", "id") WHERE "parent_id" IS NULL;
CREATE INDEX "audit_events_phase_decision_idx" ON "audit_events"("realm_id", "decision", "parent_id") WHERE "parent_id" IS NOT NULL;
CREATE INDEX "audit_events_phase_layer_idx" ON "audit_events"("realm_id", "layer", "parent_id") WHERE "parent_id" IS NOT NULL;

-- From here on, a denial caused by a foreign id seals the realm that owns the target into its own
-- record (audit-chain/target-realm.ts), so a deleted, edited or added row of
-- realmgate_private.audit_target_realms is found by the verifier. Rows of events up to this id
-- were written before: their realm is not sealed (reported as such, not as tampering).
DO $$
DECLARE
    watermark BIGINT;
BEGIN
    SELECT CASE WHEN is_called THEN last_value ELSE 0 END INTO watermark FROM "audit_events_id_seq";
    EXECUTE format('CREATE FUNCTION "realmgate_audit_target_seal_watermark"() RETURNS BIGINT LANGUAGE sql IMMUTABLE AS %L', 'SELECT ' || watermark::text || '::bigint');
END
$$;
GRANT EXECUTE ON FUNCTION "realmgate_audit_target_seal_watermark"() TO realmgate_platform;
