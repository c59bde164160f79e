-- The operators' overviews at a million VMs (issue 12: realm and host overviews under 100 ms).
-- Counting a realm's or a host's VMs per request reads every one of them (a host's: about a
-- second at a million VMs on 20 hosts); these rows are kept by the database itself as VM rows
-- change, whoever changes them (the web tier as the tenant role, the worker, offboarding), so
-- they cannot drift from the rows they count. A VM counts in its realm until it is destroyed,
-- and on the host its row names until then.
CREATE TABLE "host_usage" (
    "host_id" UUID NOT NULL,
    "vcpus" BIGINT NOT NULL DEFAULT 0,
    "memory_mb" BIGINT NOT NULL DEFAULT 0,
    "vms" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "host_usage_pkey" PRIMARY KEY ("host_id")
);
ALTER TABLE "host_usage" ADD CONSTRAINT "host_usage_host_id_fkey" FOREIGN KEY ("host_id") REFERENCES "hosts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "realm_usage" (
    "realm_id" UUID NOT NULL,
    "vms" INTEGER NOT NULL DEFAULT 0,
    "guests" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "realm_usage_pkey" PRIMARY KEY ("realm_id")
);
ALTER TABLE "realm_usage" ADD CONSTRAINT "realm_usage_realm_id_fkey" FOREIGN KEY ("realm_id") REFERENCES "realms"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The functions run as the owner (SECURITY DEFINER): the tenant role fires them through its own
-- VM rows but holds no privilege on either table, so it can neither read the fleet's use nor
-- forge a count (unlike realm_quotas' usage columns, which the tenant role may write).
--
-- Inserts and deletes are counted once per statement, grouped by realm and host (transition
-- tables): a bulk load of a million rows updates each counter row once, where a row trigger
-- would update the same row once per VM in one transaction (quadratic: every update walks the
-- row's versions that transaction left behind). Updates are counted per row, and only those
-- that move a VM in or out of a count (the WHEN clause): start, stop and the other state
-- changes do not fire it, so the lifecycle's hot path pays nothing. Rows are locked in one
-- order (realms, then hosts, each by id), so two transactions cannot deadlock on them.
CREATE FUNCTION "realmgate_vm_usage_added"() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
    INSERT INTO "realm_usage" ("realm_id", "vms", "guests")
    SELECT "realm_id", count(*), count(*) FILTER (WHERE "kind" = 'guest') FROM "vms_added"
    WHERE "observed_state" <> 'destroyed' GROUP BY "realm_id" ORDER BY "realm_id"
    ON CONFLICT ("realm_id") DO UPDATE SET "vms" = "realm_usage"."vms" + EXCLUDED."vms", "guests" = "realm_usage"."guests" + EXCLUDED."guests";
    INSERT INTO "host_usage" ("host_id", "vcpus", "memory_mb", "vms")
    SELECT "host_id", sum("vcpus"), sum("memory_mb"), count(*) FROM "vms_added"
    WHERE "host_id" IS NOT NULL AND "observed_state" <> 'destroyed' GROUP BY "host_id" ORDER BY "host_id"
    ON CONFLICT ("host_id") DO UPDATE SET
        "vcpus" = "host_usage"."vcpus" + EXCLUDED."vcpus",
        "memory_mb" = "host_usage"."memory_mb" + EXCLUDED."memory_mb",
        "vms" = "host_usage"."vms" + EXCLUDED."vms";
    RETURN NULL;
END $$;

CREATE FUNCTION "realmgate_vm_usage_removed"() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
    UPDATE "realm_usage" u SET "vms" = u."vms" - d."vms", "guests" = u."guests" - d."guests"
    FROM (SELECT "realm_id", count(*) AS "vms", count(*) FILTER (WHERE "kind" = 'guest') AS "guests" FROM "vms_removed"
          WHERE "observed_state" <> 'destroyed' GROUP BY "realm_id") d
    WHERE u."realm_id" = d."realm_id";
    UPDATE "host_usage" u SET "vcpus" = u."vcpus" - d."vcpus", "memory_mb" = u."memory_mb" - d."memory_mb", "vms" = u."vms" - d."vms"
    FROM (SELECT "host_id", sum("vcpus") AS "vcpus", sum("memory_mb") AS "memory_mb", count(*) AS "vms" FROM "vms_removed"
          WHERE "host_id" IS NOT NULL AND "observed_state" <> 'destroyed' GROUP BY "host_id") d
    WHERE u."host_id" = d."host_id";
    RETURN NULL;
END $$;

CREATE FUNCTION "realmgate_vm_usage_changed"() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    was_live BOOLEAN := OLD."observed_state" <> 'destroyed';
    now_live BOOLEAN := NEW."observed_state" <> 'destroyed';
    was_placed BOOLEAN := was_live AND OLD."host_id" IS NOT NULL;
    now_placed BOOLEAN := now_live AND NEW."host_id" IS NOT NULL;
BEGIN
    IF was_live AND NOT now_live THEN
        UPDATE "realm_usage" SET "vms" = "vms" - 1, "guests" = "guests" - (OLD."kind" = 'guest')::int WHERE "realm_id" = OLD."realm_id";
    ELSIF now_live AND NOT was_live THEN
        INSERT INTO "realm_usage" ("realm_id", "vms", "guests") VALUES (NEW."realm_id", 1, (NEW."kind" = 'guest')::int)
        ON CONFLICT ("realm_id") DO UPDATE SET "vms" = "realm_usage"."vms" + 1, "guests" = "realm_usage"."guests" + EXCLUDED."guests";
    ELSIF now_live AND OLD."kind" <> NEW."kind" THEN
        UPDATE "realm_usage" SET "guests" = "guests" - (OLD."kind" = 'guest')::int + (NEW."kind" = 'guest')::int WHERE "realm_id" = NEW."realm_id";
    END IF;
    IF was_placed AND now_placed AND OLD."host_id" > NEW."host_id" THEN
        PERFORM 1 FROM "host_usage" WHERE "host_id" = NEW."host_id" FOR UPDATE;
    END IF;
    IF was_placed THEN
        UPDATE "host_usage" SET "vcpus" = "vcpus" - OLD."vcpus", "memory_mb" = "memory_mb" - OLD."memory_mb", "vms" = "vms" - 1
        WHERE "host_id" = OLD."host_id";
    END IF;
    IF now_placed THEN
        INSERT INTO "host_usage" ("host_id", "vcpus", "memory_mb", "vms") VALUES (NEW."host_id", NEW."vcpus", NEW."memory_mb", 1)
        ON CONFLICT ("host_id") DO UPDATE SET
            "vcpus" = "host_usage"."vcpus" + EXCLUDED."vcpus",
            "memory_mb" = "host_usage"."memory_mb" + EXCLUDED."memory_mb",
            "vms" = "host_usage"."vms" + 1;
    END IF;
    RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION "realmgate_vm_usage_added"(), "realmgate_vm_usage_removed"(), "realmgate_vm_usage_changed"() FROM PUBLIC;

CREATE TRIGGER "vms_usage_insert" AFTER INSERT ON "vms" REFERENCING NEW TABLE AS "vms_added"
    FOR EACH STATEMENT EXECUTE FUNCTION "realmgate_vm_usage_added"();
CREATE TRIGGER "vms_usage_delete" AFTER DELETE ON "vms" REFERENCING OLD TABLE AS "vms_removed"
    FOR EACH STATEMENT EXECUTE FUNCTION "realmgate_vm_usage_removed"();
CREATE TRIGGER "vms_usage_update" AFTER UPDATE OF "host_id", "observed_state", "vcpus", "memory_mb", "kind" ON "vms" FOR EACH ROW
    WHEN (OLD."host_id" IS DISTINCT FROM NEW."host_id"
          OR (OLD."observed_state" = 'destroyed') <> (NEW."observed_state" = 'destroyed')
          OR OLD."vcpus" <> NEW."vcpus" OR OLD."memory_mb" <> NEW."memory_mb" OR OLD."kind" <> NEW."kind")
    EXECUTE FUNCTION "realmgate_vm_usage_changed"();

-- What is there today. The owner is subject to FORCE ROW LEVEL SECURITY on vms; lifted for
-- the backfill only, inside this migration's transaction.
ALTER TABLE "vms" NO FORCE ROW LEVEL SECURITY;
INSERT INTO "host_usage" ("host_id", "vcpus", "memory_mb", "vms")
SELECT "host_id", sum("vcpus"), sum("memory_mb"), count(*)
FROM "vms" WHERE "host_id" IS NOT NULL AND "observed_state" <> 'destroyed'
GROUP BY "host_id";
INSERT INTO "realm_usage" ("realm_id", "vms", "guests")
SELECT "realm_id", count(*), count(*) FILTER (WHERE "kind" = 'guest')
FROM "vms" WHERE "observed_state" <> 'destroyed'
GROUP BY "realm_id";
ALTER TABLE "vms" FORCE ROW LEVEL SECURITY;

-- Platform only: operators read them; nobody writes them but the trigger.
REVOKE ALL ON "host_usage", "realm_usage" FROM PUBLIC;
GRANT SELECT ON "host_usage", "realm_usage" TO realmgate_platform;
