-- Layer 2 of realm isolation: row-level security on tenant tables.
--
-- Threat: a bug in the web tier (a query that forgets its realm filter, an id taken from input)
-- reading or writing another realm's rows. The web tier's tenant connections run as
-- realmgate_app, which has no BYPASSRLS; FORCE makes the policies bind the table owner too.
-- The realm is set per transaction (set_config('realmgate.realm_id', …, true)); without it
-- realmgate_current_realm() is NULL and every policy matches nothing: fail closed.
-- Platform components (worker, operator views, sign-in) use realmgate_platform, whose queries
-- are named unsafe… in the code.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'realmgate_app') THEN
        CREATE ROLE realmgate_app NOLOGIN NOSUPERUSER NOBYPASSRLS;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'realmgate_platform') THEN
        CREATE ROLE realmgate_platform NOLOGIN NOSUPERUSER BYPASSRLS;
    END IF;
END
$$;

-- The connecting user switches to these roles at connection start (options=-c role=…).
GRANT realmgate_app, realmgate_platform TO CURRENT_USER;

GRANT USAGE ON SCHEMA public TO realmgate_app, realmgate_platform;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO realmgate_app, realmgate_platform;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO realmgate_app, realmgate_platform;
REVOKE ALL ON "_prisma_migrations" FROM realmgate_app, realmgate_platform;
-- Tenants never change platform tables.
REVOKE INSERT, UPDATE, DELETE ON "hosts", "templates", "users", "organizations", "memberships" FROM realmgate_app;

CREATE FUNCTION "realmgate_current_realm"() RETURNS uuid
LANGUAGE sql STABLE AS $$
    SELECT NULLIF(current_setting('realmgate.realm_id', true), '')::uuid
$$;

ALTER TABLE "realms" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "realms" FORCE ROW LEVEL SECURITY;
CREATE POLICY "realm_isolation" ON "realms"
    USING ("id" = realmgate_current_realm())
    WITH CHECK ("id" = realmgate_current_realm());

ALTER TABLE "vms" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "vms" FORCE ROW LEVEL SECURITY;
CREATE POLICY "realm_isolation" ON "vms"
    USING ("realm_id" = realmgate_current_realm())
    WITH CHECK ("realm_id" = realmgate_current_realm());

ALTER TABLE "operations" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "operations" FORCE ROW LEVEL SECURITY;
CREATE POLICY "realm_isolation" ON "operations"
    USING ("realm_id" = realmgate_current_realm())
    WITH CHECK ("realm_id" = realmgate_current_realm());

ALTER TABLE "audit_events" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "audit_events" FORCE ROW LEVEL SECURITY;
CREATE POLICY "realm_isolation" ON "audit_events"
    USING ("realm_id" = realmgate_current_realm())
    WITH CHECK ("realm_id" = realmgate_current_realm());
