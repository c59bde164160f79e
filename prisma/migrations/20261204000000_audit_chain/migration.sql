-- Tamper-evident audit (issue 13). audit_events is append-only for the application roles, but
-- the owner role or a superuser could still rewrite it undetected. From here on (README,
-- "Tamper-evident audit"; server/audit-chain/):
-- - each record carries a MAC computed by the application with a key the database never holds
--   (records written before this migration have none: the chain's legacy prefix);
-- - the worker seals every record into its realm's chain (the platform's own: realm_id NULL):
--   seq 1, 2, 3…, a SHA-256 digest over the previous one and the record, and a keyed tag;
-- - signed checkpoints of the chain heads are kept outside the database.

ALTER TABLE "audit_events" ADD COLUMN "mac" BYTEA;

-- Events up to this id were written before record MACs existed (the legacy prefix).
DO $$
DECLARE
    watermark BIGINT;
BEGIN
    SELECT CASE WHEN is_called THEN last_value ELSE 0 END INTO watermark FROM "audit_events_id_seq";
    EXECUTE format('CREATE FUNCTION "realmgate_audit_legacy_watermark"() RETURNS BIGINT LANGUAGE sql IMMUTABLE AS %L', 'SELECT ' || watermark::text || '::bigint');
END
$$;
GRANT EXECUTE ON FUNCTION "realmgate_audit_legacy_watermark"() TO realmgate_platform;

-- The chain: one row per sealed event. Append-only like audit_events, by privilege and trigger.
CREATE TABLE "audit_chain" (
    "event_id" BIGINT NOT NULL,
    "realm_id" UUID,
    "seq" BIGINT NOT NULL,
    "digest" BYTEA NOT NULL,
    "tag" BYTEA NOT NULL,
    "sealed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_chain_pkey" PRIMARY KEY ("event_id")
);
-- One seq per chain; the platform's chain (realm_id NULL) is one chain too.
CREATE UNIQUE INDEX "audit_chain_realm_id_seq_key" ON "audit_chain"("realm_id", "seq") NULLS NOT DISTINCT;

CREATE TRIGGER "audit_chain_append_only" BEFORE UPDATE OR DELETE ON "audit_chain"
    FOR EACH ROW EXECUTE FUNCTION "realmgate_forbid_audit_change"();
GRANT SELECT, INSERT ON "audit_chain" TO realmgate_platform;
-- A realm's members read its chain rows (a realm's trail and export carry them), nothing else.
GRANT SELECT ON "audit_chain" TO realmgate_app;
ALTER TABLE "audit_chain" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "audit_chain" FORCE ROW LEVEL SECURITY;
CREATE POLICY "realm_isolation" ON "audit_chain"
    USING ("realm_id" = (SELECT realmgate_current_realm())) WITH CHECK ("realm_id" = (SELECT realmgate_current_realm()));

-- Each chain's head, so an append reads one row (locked FOR UPDATE: two sealers never fork a
-- chain). chain_key is the realm id, or the zero uuid for the platform's chain. Platform-only.
CREATE TABLE "audit_chain_heads" (
    "chain_key" UUID NOT NULL,
    "seq" BIGINT NOT NULL,
    "event_id" BIGINT NOT NULL,
    "digest" BYTEA NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_chain_heads_pkey" PRIMARY KEY ("chain_key")
);
GRANT SELECT, INSERT, UPDATE ON "audit_chain_heads" TO realmgate_platform;

-- The sealer's queue: every new event's id, written by the database itself in the inserting
-- statement (no round trip for the writer), visible once that transaction commits, so an event
-- whose transaction commits late is still found, by its key, never by scanning audit_events.
CREATE TABLE "realmgate_private"."audit_unsealed" (
    "event_id" BIGINT NOT NULL PRIMARY KEY
);
-- UPDATE only for SELECT … FOR UPDATE SKIP LOCKED (two sealers never take the same event).
GRANT SELECT, UPDATE, DELETE ON "realmgate_private"."audit_unsealed" TO realmgate_platform;

CREATE FUNCTION "realmgate_audit_enqueue"() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
    INSERT INTO "realmgate_private"."audit_unsealed" ("event_id") SELECT "id" FROM "audit_added";
    RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION "realmgate_audit_enqueue"() FROM PUBLIC;
CREATE TRIGGER "audit_events_enqueue_seal" AFTER INSERT ON "audit_events"
    REFERENCING NEW TABLE AS "audit_added" FOR EACH STATEMENT EXECUTE FUNCTION "realmgate_audit_enqueue"();

-- The trail so far: queued for sealing as the legacy prefix (the owner reads past row-level
-- security only while it is not forced).
ALTER TABLE "audit_events" NO FORCE ROW LEVEL SECURITY;
INSERT INTO "realmgate_private"."audit_unsealed" ("event_id") SELECT "id" FROM "audit_events";
ALTER TABLE "audit_events" FORCE ROW LEVEL SECURITY;
