-- A driver domain is a domain like any other on its host: it takes vCPUs and memory there, and
-- from its realm's quota. Without this a realm could start driver domains without bound: past
-- its quota, and past its host's capacity, at every other realm's expense.
--
-- Its size is on its row (the worker builds it with that size); the service reserves it from
-- the realm's quota as it inserts the row (services/backends.ts, like a VM's create). The host's
-- usage counter follows the rows, whoever inserts or deletes them, as it does for VMs
-- (20261203010000_operator_overviews); deleting the row gives its quota back, like a disk's.
ALTER TABLE "driver_domains" ADD COLUMN "vcpus" INTEGER NOT NULL DEFAULT 1;
ALTER TABLE "driver_domains" ADD COLUMN "memory_mb" INTEGER NOT NULL DEFAULT 256;
ALTER TABLE "driver_domains" ADD CONSTRAINT "driver_domains_size_check" CHECK ("vcpus" > 0 AND "memory_mb" > 0);

-- The host's counter is written as the owner (SECURITY DEFINER: the tenant role holds no
-- privilege on host_usage, as for VMs); the quota is given back as the caller, under its own
-- row-level security (the realm's transaction, or the worker's platform role), as for disks.
CREATE FUNCTION "realmgate_driver_domain_host_usage"() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO "host_usage" ("host_id", "vcpus", "memory_mb", "vms") VALUES (NEW."host_id", NEW."vcpus", NEW."memory_mb", 0)
        ON CONFLICT ("host_id") DO UPDATE SET
            "vcpus" = "host_usage"."vcpus" + EXCLUDED."vcpus",
            "memory_mb" = "host_usage"."memory_mb" + EXCLUDED."memory_mb";
    ELSE
        UPDATE "host_usage" SET "vcpus" = "vcpus" - OLD."vcpus", "memory_mb" = "memory_mb" - OLD."memory_mb" WHERE "host_id" = OLD."host_id";
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION "realmgate_driver_domain_quota_release"() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
BEGIN
    UPDATE "realm_quotas" SET
        "used_vcpus" = GREATEST("used_vcpus" - OLD."vcpus", 0),
        "used_memory_mb" = GREATEST("used_memory_mb" - OLD."memory_mb", 0)
    WHERE "realm_id" = OLD."realm_id";
    RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION "realmgate_driver_domain_host_usage"(), "realmgate_driver_domain_quota_release"() FROM PUBLIC;

CREATE TRIGGER "driver_domains_host_usage" AFTER INSERT OR DELETE ON "driver_domains" FOR EACH ROW
    EXECUTE FUNCTION "realmgate_driver_domain_host_usage"();
CREATE TRIGGER "driver_domains_quota_release" AFTER DELETE ON "driver_domains" FOR EACH ROW
    EXECUTE FUNCTION "realmgate_driver_domain_quota_release"();
