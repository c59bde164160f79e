-- Layer 2 holds on its own: against arbitrary SQL run as the tenant role (realmgate_app).
--
-- Threat: an attacker who owns the web tier (or finds an injection in it) and runs any SQL as
-- the tenant role. Before this migration the web tier logged in as a superuser and switched
-- roles, the realm was a plain setting anyone could change, and the tenant role could read
-- password hashes and every organization. From here on (see server/db/roles.ts for the roles):
-- - the realm a transaction sees is bound by a value signed with a key the tenant role cannot
--   read (realmgate_private.realm_binding_key), verified by a SECURITY DEFINER function;
-- - the tenant role reads only its realm's organization, members and hosts, never a password;
-- - notifications travel on per-realm channels whose names derive from the same key;
-- - audit rows are append-only by privilege, for every application role;
-- - an operation acting as one realm on another realm's VM needs a live break-glass grant;
-- - an operator holds at most one active break-glass grant at any moment.

CREATE EXTENSION IF NOT EXISTS btree_gist;

-- ---------------------------------------------------------------------------------------------
-- The realm binding key. Only the owner and the platform role (which signs bindings for the
-- web tier) can read it.
CREATE SCHEMA "realmgate_private";
REVOKE ALL ON SCHEMA "realmgate_private" FROM PUBLIC;
CREATE TABLE "realmgate_private"."realm_binding_key" (
    "id" INTEGER PRIMARY KEY CHECK ("id" = 1),
    -- HMAC-SHA256 key (32 random bytes), and its inner and outer pads (RFC 2104), so that SQL
    -- can verify with the built-in sha256() alone.
    "key" BYTEA NOT NULL,
    "ipad" BYTEA NOT NULL,
    "opad" BYTEA NOT NULL
);
DO $$
DECLARE
    k BYTEA := decode(replace(gen_random_uuid()::text || gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 'hex');
    padded BYTEA;
    i BYTEA;
    o BYTEA;
BEGIN
    k := substring(k FROM 1 FOR 32);
    padded := k || decode(repeat('00', 32), 'hex');
    i := padded;
    o := padded;
    FOR n IN 0..63 LOOP
        i := set_byte(i, n, get_byte(padded, n) # 54);  -- 0x36
        o := set_byte(o, n, get_byte(padded, n) # 92);  -- 0x5c
    END LOOP;
    INSERT INTO "realmgate_private"."realm_binding_key" ("id", "key", "ipad", "opad") VALUES (1, k, i, o);
END
$$;
GRANT USAGE ON SCHEMA "realmgate_private" TO realmgate_platform;
GRANT SELECT ("key") ON "realmgate_private"."realm_binding_key" TO realmgate_platform;

CREATE FUNCTION "realmgate_private"."hmac_hex"(message TEXT) RETURNS TEXT
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
    SELECT encode(sha256(k."opad" || sha256(k."ipad" || convert_to(message, 'UTF8'))), 'hex')
    FROM "realmgate_private"."realm_binding_key" k WHERE k."id" = 1
$$;
REVOKE ALL ON FUNCTION "realmgate_private"."hmac_hex"(TEXT) FROM PUBLIC;

-- The realm of the current transaction: the web tier sets
--   set_config('realmgate.realm', '<realm uuid>.<expiry, unix seconds>.<hex HMAC of the two>', true)
-- and only a value signed with the key, not yet expired, names a realm. Anything else (unset, a
-- plain uuid, a forged or expired signature) is NULL: every policy matches nothing.
CREATE OR REPLACE FUNCTION "realmgate_current_realm"() RETURNS uuid
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    binding TEXT := current_setting('realmgate.realm', true);
    parts TEXT[];
BEGIN
    IF binding IS NULL OR binding = '' THEN
        RETURN NULL;
    END IF;
    parts := string_to_array(binding, '.');
    IF array_length(parts, 1) <> 3
       OR parts[1] !~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
       OR parts[2] !~ '^[0-9]{1,12}$'
       OR parts[2]::bigint < extract(epoch FROM now()) THEN
        RETURN NULL;
    END IF;
    IF "realmgate_private"."hmac_hex"(parts[1] || '.' || parts[2]) <> parts[3] THEN
        RETURN NULL;
    END IF;
    RETURN parts[1]::uuid;
END;
$$;

-- Policies call it once per statement (an init plan), not once per row.
DO $$
DECLARE
    t TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY['vms', 'operations', 'audit_events', 'break_glass_grants', 'idempotency_keys', 'disks', 'networks', 'vm_networks'] LOOP
        EXECUTE format('DROP POLICY "realm_isolation" ON %I', t);
        EXECUTE format('CREATE POLICY "realm_isolation" ON %I USING ("realm_id" = (SELECT realmgate_current_realm())) WITH CHECK ("realm_id" = (SELECT realmgate_current_realm()))', t);
    END LOOP;
END
$$;
DROP POLICY "realm_isolation" ON "realms";
CREATE POLICY "realm_isolation" ON "realms"
    USING ("id" = (SELECT realmgate_current_realm()))
    WITH CHECK ("id" = (SELECT realmgate_current_realm()));

-- ---------------------------------------------------------------------------------------------
-- What the tenant role reads outside realm tables: its own organization and members, the
-- hosts its VMs run on (name and status only), the template catalogue. No password hashes, no
-- other organization, no Chinese Wall rows.
REVOKE ALL ON "users" FROM realmgate_app;
GRANT SELECT ("id", "email", "name") ON "users" TO realmgate_app;
ALTER TABLE "users" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "users" FORCE ROW LEVEL SECURITY;
CREATE POLICY "realm_members" ON "users" FOR SELECT
    USING ("id" IN (SELECT m."user_id" FROM "memberships" m));

ALTER TABLE "organizations" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "organizations" FORCE ROW LEVEL SECURITY;
CREATE POLICY "realm_isolation" ON "organizations" FOR SELECT
    USING ("id" = (SELECT r."org_id" FROM "realms" r WHERE r."id" = (SELECT realmgate_current_realm())));

ALTER TABLE "memberships" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "memberships" FORCE ROW LEVEL SECURITY;
CREATE POLICY "realm_isolation" ON "memberships" FOR SELECT
    USING ("org_id" = (SELECT r."org_id" FROM "realms" r WHERE r."id" = (SELECT realmgate_current_realm())));

REVOKE ALL ON "hosts" FROM realmgate_app;
GRANT SELECT ("id", "name", "status") ON "hosts" TO realmgate_app;
ALTER TABLE "hosts" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "hosts" FORCE ROW LEVEL SECURITY;
CREATE POLICY "realm_hosts" ON "hosts" FOR SELECT
    USING (EXISTS (SELECT 1 FROM "vms" v WHERE v."host_id" = "hosts"."id"));

REVOKE ALL ON "realm_conflicts" FROM realmgate_app;

-- ---------------------------------------------------------------------------------------------
-- The audit trail is append-only by privilege (the trigger stays as a second guard).
REVOKE UPDATE, DELETE, TRUNCATE ON "audit_events" FROM realmgate_app, realmgate_platform;

-- ---------------------------------------------------------------------------------------------
-- Realm notifications: one channel per realm, named by the key, so a tenant session cannot
-- LISTEN to another realm (it cannot compute the name). Senders go through
-- realmgate_notify_realm, which only lets a tenant transaction notify its own realm.
CREATE FUNCTION "realmgate_realm_channel"(realm uuid) RETURNS TEXT
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
    SELECT 'realmgate_realm_' || left("realmgate_private"."hmac_hex"('channel.' || realm::text), 40)
$$;
REVOKE ALL ON FUNCTION "realmgate_realm_channel"(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION "realmgate_realm_channel"(uuid) TO realmgate_platform;

-- "This user's access shrank" (services/access-revocations.ts): a platform-only channel whose
-- name is keyed too, so a tenant session cannot watch whose access is being revoked.
CREATE FUNCTION "realmgate_access_channel"() RETURNS TEXT
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
    SELECT 'realmgate_access_' || left("realmgate_private"."hmac_hex"('access'), 40)
$$;
REVOKE ALL ON FUNCTION "realmgate_access_channel"() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION "realmgate_access_channel"() TO realmgate_platform;

CREATE FUNCTION "realmgate_notify_realm"(realm uuid, payload TEXT, wake_worker BOOLEAN) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
    IF realm IS DISTINCT FROM realmgate_current_realm()
       AND NOT pg_has_role(session_user, 'realmgate_platform', 'MEMBER') THEN
        RAISE EXCEPTION 'a tenant transaction notifies only its own realm' USING ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM pg_notify(realmgate_realm_channel(realm), payload);
    -- The worker's wake-up call carries nothing: any session may hear that work arrived.
    IF wake_worker THEN
        PERFORM pg_notify('realmgate_work', '');
    END IF;
END;
$$;
REVOKE ALL ON FUNCTION "realmgate_notify_realm"(uuid, TEXT, BOOLEAN) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION "realmgate_notify_realm"(uuid, TEXT, BOOLEAN) TO realmgate_app, realmgate_platform;

-- ---------------------------------------------------------------------------------------------
-- An operation whose acting realm is not the VM's realm: refused unless it carries a live
-- break-glass grant, on the VM's realm, held by whoever requested it.
ALTER TABLE "operations" ADD COLUMN "break_glass_grant_id" UUID;
ALTER TABLE "operations" ADD CONSTRAINT "operations_break_glass_grant_id_fkey" FOREIGN KEY ("break_glass_grant_id") REFERENCES "break_glass_grants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE FUNCTION "realmgate_check_operation_subject"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW."subject_realm_id" = NEW."realm_id" THEN
        RETURN NEW;
    END IF;
    IF NEW."break_glass_grant_id" IS NULL OR NOT EXISTS (
        SELECT 1 FROM "break_glass_grants" g
        WHERE g."id" = NEW."break_glass_grant_id"
          AND g."realm_id" = NEW."realm_id"
          AND g."operator_id" IS NOT DISTINCT FROM NEW."requested_by_id"
          AND g."revoked_at" IS NULL
          AND g."expires_at" > now()
    ) THEN
        RAISE EXCEPTION 'an operation acting as realm % on a VM of realm % needs a live break-glass grant on that realm',
            NEW."subject_realm_id", NEW."realm_id"
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER "operations_subject_realm_check" BEFORE INSERT OR UPDATE OF "subject_realm_id", "break_glass_grant_id" ON "operations"
    FOR EACH ROW EXECUTE FUNCTION "realmgate_check_operation_subject"();

-- ---------------------------------------------------------------------------------------------
-- One active break-glass grant per operator: the windows [created, revoked or expiry) of one
-- operator's grants never overlap. Overlaps from before (concurrent requests) end where the
-- next grant began.
DO $$
BEGIN
    LOOP
        UPDATE "break_glass_grants" g SET "revoked_at" = n."next_start"
        FROM (
            SELECT DISTINCT ON (a."id") a."id", b."created_at" AS "next_start"
            FROM "break_glass_grants" a
            JOIN "break_glass_grants" b
              ON a."operator_id" = b."operator_id" AND a."id" <> b."id"
             AND (a."created_at", a."id") < (b."created_at", b."id")
             AND tstzrange(a."created_at", coalesce(a."revoked_at", a."expires_at")) && tstzrange(b."created_at", coalesce(b."revoked_at", b."expires_at"))
            ORDER BY a."id", b."created_at"
        ) n
        WHERE g."id" = n."id";
        EXIT WHEN NOT FOUND;
    END LOOP;
END
$$;
ALTER TABLE "break_glass_grants" ADD CONSTRAINT "break_glass_grants_one_active_per_operator"
    EXCLUDE USING gist ("operator_id" WITH =, tstzrange("created_at", coalesce("revoked_at", "expires_at")) WITH &&);
