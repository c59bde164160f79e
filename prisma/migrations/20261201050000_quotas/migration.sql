-- Quotas: per-realm limits on vCPUs, memory (MiB), guest VMs, disk GiB and networks, with the
-- realm's usage beside them in the same row.
--
-- Threat: one tenant filling every host (or the disk and network budget) and blocking every
-- other realm's creates. A create reserves its capacity with one conditional UPDATE of this row
-- (`used + n <= limit`) in the same transaction as the insert, so the row lock serialises one
-- realm's concurrent creators and no interleaving can exceed a limit. Destroying a VM or
-- deleting a disk or network releases what it held. Management VMs are the platform's and do
-- not count.
--
-- The tenant role reads its own realm's row (row-level security) and may write only the usage
-- columns (column privileges): it can never raise its own limits. Operators set limits through
-- the platform role.

CREATE TABLE "realm_quotas" (
    "realm_id" UUID NOT NULL,
    "vcpus" INTEGER NOT NULL,
    "memory_mb" INTEGER NOT NULL,
    "vms" INTEGER NOT NULL,
    "disk_gb" INTEGER NOT NULL,
    "networks" INTEGER NOT NULL,
    "used_vcpus" INTEGER NOT NULL DEFAULT 0,
    "used_memory_mb" INTEGER NOT NULL DEFAULT 0,
    "used_vms" INTEGER NOT NULL DEFAULT 0,
    "used_disk_gb" INTEGER NOT NULL DEFAULT 0,
    "used_networks" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "realm_quotas_pkey" PRIMARY KEY ("realm_id"),
    CONSTRAINT "realm_quotas_limits_check" CHECK ("vcpus" >= 0 AND "memory_mb" >= 0 AND "vms" >= 0 AND "disk_gb" >= 0 AND "networks" >= 0),
    CONSTRAINT "realm_quotas_used_check" CHECK ("used_vcpus" >= 0 AND "used_memory_mb" >= 0 AND "used_vms" >= 0 AND "used_disk_gb" >= 0 AND "used_networks" >= 0)
);
ALTER TABLE "realm_quotas" ADD CONSTRAINT "realm_quotas_realm_id_fkey" FOREIGN KEY ("realm_id") REFERENCES "realms"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The limits a new realm gets: one row, written from REALMGATE_DEFAULT_QUOTA by the launcher at
-- every start (server/config.ts); these values are the documented defaults.
CREATE TABLE "quota_defaults" (
    "id" BOOLEAN NOT NULL DEFAULT true,
    "vcpus" INTEGER NOT NULL,
    "memory_mb" INTEGER NOT NULL,
    "vms" INTEGER NOT NULL,
    "disk_gb" INTEGER NOT NULL,
    "networks" INTEGER NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "quota_defaults_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "quota_defaults_single_row" CHECK ("id"),
    CONSTRAINT "quota_defaults_check" CHECK ("vcpus" >= 0 AND "memory_mb" >= 0 AND "vms" >= 0 AND "disk_gb" >= 0 AND "networks" >= 0)
);
INSERT INTO "quota_defaults" ("vcpus", "memory_mb", "vms", "disk_gb", "networks") VALUES (32, 65536, 20, 500, 10);

-- Every realm has its quota row from the moment it exists, whoever creates it.
CREATE FUNCTION "realmgate_realm_quota"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "realm_quotas" ("realm_id", "vcpus", "memory_mb", "vms", "disk_gb", "networks")
    SELECT NEW."id", d."vcpus", d."memory_mb", d."vms", d."disk_gb", d."networks" FROM "quota_defaults" d
    ON CONFLICT ("realm_id") DO NOTHING;
    IF NOT FOUND AND NOT EXISTS (SELECT 1 FROM "realm_quotas" WHERE "realm_id" = NEW."id") THEN
        RAISE EXCEPTION 'quota_defaults is empty: cannot give realm % its quota', NEW."id";
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER "realms_quota" AFTER INSERT ON "realms" FOR EACH ROW EXECUTE FUNCTION "realmgate_realm_quota"();

-- Releases happen where the state changes, whoever changes it (the worker settling a destroy,
-- a member deleting a disk, offboarding): a VM releases what it held when its row first reaches
-- `destroyed` (or is deleted before that), a disk or network when its row is deleted. Exactly
-- once per object by construction. Runs as the caller's role: the tenant may write the usage
-- columns of its own realm's row, the platform role any.
CREATE FUNCTION "realmgate_quota_release"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'vms' THEN
        IF OLD."kind" = 'guest' AND OLD."observed_state" <> 'destroyed'
           AND (TG_OP = 'DELETE' OR NEW."observed_state" = 'destroyed') THEN
            UPDATE "realm_quotas" SET
                "used_vcpus" = GREATEST("used_vcpus" - OLD."vcpus", 0),
                "used_memory_mb" = GREATEST("used_memory_mb" - OLD."memory_mb", 0),
                "used_vms" = GREATEST("used_vms" - 1, 0)
            WHERE "realm_id" = OLD."realm_id";
        END IF;
    ELSIF TG_TABLE_NAME = 'disks' THEN
        UPDATE "realm_quotas" SET "used_disk_gb" = GREATEST("used_disk_gb" - OLD."size_gb", 0) WHERE "realm_id" = OLD."realm_id";
    ELSIF TG_TABLE_NAME = 'networks' THEN
        UPDATE "realm_quotas" SET "used_networks" = GREATEST("used_networks" - 1, 0) WHERE "realm_id" = OLD."realm_id";
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER "vms_quota_release" AFTER UPDATE OF "observed_state" ON "vms" FOR EACH ROW
    WHEN (OLD."observed_state" <> 'destroyed' AND NEW."observed_state" = 'destroyed') EXECUTE FUNCTION "realmgate_quota_release"();
CREATE TRIGGER "vms_quota_release_delete" AFTER DELETE ON "vms" FOR EACH ROW EXECUTE FUNCTION "realmgate_quota_release"();
CREATE TRIGGER "disks_quota_release" AFTER DELETE ON "disks" FOR EACH ROW EXECUTE FUNCTION "realmgate_quota_release"();
CREATE TRIGGER "networks_quota_release" AFTER DELETE ON "networks" FOR EACH ROW EXECUTE FUNCTION "realmgate_quota_release"();

-- Existing realms: the defaults (raised to what they already use, so nobody is over quota on
-- day one) and their current usage. The owner is subject to FORCE ROW LEVEL SECURITY; lifted
-- for the backfill only, inside this migration's transaction.
ALTER TABLE "vms" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "disks" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "networks" NO FORCE ROW LEVEL SECURITY;
ALTER TABLE "realms" NO FORCE ROW LEVEL SECURITY;
WITH usage AS (
    SELECT r."id" AS realm_id,
        COALESCE((SELECT sum(v."vcpus") FROM "vms" v WHERE v."realm_id" = r."id" AND v."kind" = 'guest' AND v."observed_state" <> 'destroyed'), 0)::int AS vcpus,
        COALESCE((SELECT sum(v."memory_mb") FROM "vms" v WHERE v."realm_id" = r."id" AND v."kind" = 'guest' AND v."observed_state" <> 'destroyed'), 0)::int AS memory_mb,
        (SELECT count(*) FROM "vms" v WHERE v."realm_id" = r."id" AND v."kind" = 'guest' AND v."observed_state" <> 'destroyed')::int AS vms,
        COALESCE((SELECT sum(d."size_gb") FROM "disks" d WHERE d."realm_id" = r."id"), 0)::int AS disk_gb,
        (SELECT count(*) FROM "networks" n WHERE n."realm_id" = r."id")::int AS networks
    FROM "realms" r
)
INSERT INTO "realm_quotas" ("realm_id", "vcpus", "memory_mb", "vms", "disk_gb", "networks", "used_vcpus", "used_memory_mb", "used_vms", "used_disk_gb", "used_networks")
SELECT u.realm_id, GREATEST(d."vcpus", u.vcpus), GREATEST(d."memory_mb", u.memory_mb), GREATEST(d."vms", u.vms), GREATEST(d."disk_gb", u.disk_gb), GREATEST(d."networks", u.networks),
    u.vcpus, u.memory_mb, u.vms, u.disk_gb, u.networks
FROM usage u CROSS JOIN "quota_defaults" d;
ALTER TABLE "vms" FORCE ROW LEVEL SECURITY;
ALTER TABLE "disks" FORCE ROW LEVEL SECURITY;
ALTER TABLE "networks" FORCE ROW LEVEL SECURITY;
ALTER TABLE "realms" FORCE ROW LEVEL SECURITY;

-- Privileges: the tenant reads its row and moves its usage; the platform does everything else.
REVOKE ALL ON "realm_quotas", "quota_defaults" FROM PUBLIC;
GRANT SELECT ON "realm_quotas" TO realmgate_app;
GRANT UPDATE ("used_vcpus", "used_memory_mb", "used_vms", "used_disk_gb", "used_networks") ON "realm_quotas" TO realmgate_app;
GRANT SELECT, INSERT, UPDATE ON "realm_quotas" TO realmgate_platform;
GRANT SELECT, UPDATE ON "quota_defaults" TO realmgate_platform;

ALTER TABLE "realm_quotas" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "realm_quotas" FORCE ROW LEVEL SECURITY;
CREATE POLICY "realm_isolation" ON "realm_quotas" USING ("realm_id" = (SELECT realmgate_current_realm())) WITH CHECK ("realm_id" = (SELECT realmgate_current_realm()));
