-- The operators' fleet map (issue 13): which realm runs where, per host, at a million VMs. Like
-- host_usage and realm_usage (migration operator_overviews), kept by the database itself as VM
-- rows change, so a page of hosts reads one row per (host, realm) pair instead of every VM.
CREATE TABLE "host_realm_usage" (
    "host_id" UUID NOT NULL,
    "realm_id" UUID NOT NULL,
    "vms" INTEGER NOT NULL DEFAULT 0,
    "vcpus" BIGINT NOT NULL DEFAULT 0,
    "memory_mb" BIGINT NOT NULL DEFAULT 0,
    "management" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "host_realm_usage_pkey" PRIMARY KEY ("host_id", "realm_id")
);
CREATE INDEX "host_realm_usage_realm_id_idx" ON "host_realm_usage"("realm_id");
-- A host's realms, busiest first (the map shows the top of each host).
CREATE INDEX "host_realm_usage_host_id_vms_idx" ON "host_realm_usage"("host_id", "vms" DESC, "realm_id");
ALTER TABLE "host_realm_usage" ADD CONSTRAINT "host_realm_usage_host_id_fkey" FOREIGN KEY ("host_id") REFERENCES "hosts"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "host_realm_usage" ADD CONSTRAINT "host_realm_usage_realm_id_fkey" FOREIGN KEY ("realm_id") REFERENCES "realms"("id") ON DELETE CASCADE ON UPDATE CASCADE;
REVOKE ALL ON "host_realm_usage" FROM PUBLIC;
GRANT SELECT ON "host_realm_usage" TO realmgate_platform;

-- The same three functions, each also keeping host_realm_usage; rows are locked in one order
-- (realms, hosts, then (host, realm) pairs), as before.
CREATE OR REPLACE FUNCTION "realmgate_vm_usage_added"() RETURNS trigger
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
    INSERT INTO "host_realm_usage" ("host_id", "realm_id", "vms", "vcpus", "memory_mb", "management")
    SELECT "host_id", "realm_id", count(*), sum("vcpus"), sum("memory_mb"), count(*) FILTER (WHERE "kind" = 'management') FROM "vms_added"
    WHERE "host_id" IS NOT NULL AND "observed_state" <> 'destroyed' GROUP BY "host_id", "realm_id" ORDER BY "host_id", "realm_id"
    ON CONFLICT ("host_id", "realm_id") DO UPDATE SET
        "vms" = "host_realm_usage"."vms" + EXCLUDED."vms",
        "vcpus" = "host_realm_usage"."vcpus" + EXCLUDED."vcpus",
        "memory_mb" = "host_realm_usage"."memory_mb" + EXCLUDED."memory_mb",
        "management" = "host_realm_usage"."management" + EXCLUDED."management";
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION "realmgate_vm_usage_removed"() RETURNS trigger
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
    UPDATE "host_realm_usage" u SET "vms" = u."vms" - d."vms", "vcpus" = u."vcpus" - d."vcpus", "memory_mb" = u."memory_mb" - d."memory_mb",
           "management" = u."management" - d."management"
    FROM (SELECT "host_id", "realm_id", count(*) AS "vms", sum("vcpus") AS "vcpus", sum("memory_mb") AS "memory_mb",
                 count(*) FILTER (WHERE "kind" = 'management') AS "management" FROM "vms_removed"
          WHERE "host_id" IS NOT NULL AND "observed_state" <> 'destroyed' GROUP BY "host_id", "realm_id") d
    WHERE u."host_id" = d."host_id" AND u."realm_id" = d."realm_id";
    DELETE FROM "host_realm_usage" WHERE "vms" <= 0 AND ("host_id", "realm_id") IN (SELECT DISTINCT "host_id", "realm_id" FROM "vms_removed" WHERE "host_id" IS NOT NULL);
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION "realmgate_vm_usage_changed"() RETURNS trigger
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
    -- The (host, realm) pairs, in the same order: the pair on the lower host first.
    IF was_placed AND now_placed AND (OLD."host_id", OLD."realm_id") > (NEW."host_id", NEW."realm_id") THEN
        PERFORM 1 FROM "host_realm_usage" WHERE "host_id" = NEW."host_id" AND "realm_id" = NEW."realm_id" FOR UPDATE;
    END IF;
    IF was_placed THEN
        UPDATE "host_realm_usage" SET "vms" = "vms" - 1, "vcpus" = "vcpus" - OLD."vcpus", "memory_mb" = "memory_mb" - OLD."memory_mb",
               "management" = "management" - (OLD."kind" = 'management')::int
        WHERE "host_id" = OLD."host_id" AND "realm_id" = OLD."realm_id";
        DELETE FROM "host_realm_usage" WHERE "host_id" = OLD."host_id" AND "realm_id" = OLD."realm_id" AND "vms" <= 0;
    END IF;
    IF now_placed THEN
        INSERT INTO "host_realm_usage" ("host_id", "realm_id", "vms", "vcpus", "memory_mb", "management")
        VALUES (NEW."host_id", NEW."realm_id", 1, NEW."vcpus", NEW."memory_mb", (NEW."kind" = 'management')::int)
        ON CONFLICT ("host_id", "realm_id") DO UPDATE SET
            "vms" = "host_realm_usage"."vms" + 1,
            "vcpus" = "host_realm_usage"."vcpus" + EXCLUDED."vcpus",
            "memory_mb" = "host_realm_usage"."memory_mb" + EXCLUDED."memory_mb",
            "management" = "host_realm_usage"."management" + EXCLUDED."management";
    END IF;
    RETURN NULL;
END $$;

-- What is there today (the owner is subject to FORCE ROW LEVEL SECURITY on vms; lifted for the
-- backfill only, inside this migration's transaction).
ALTER TABLE "vms" NO FORCE ROW LEVEL SECURITY;
INSERT INTO "host_realm_usage" ("host_id", "realm_id", "vms", "vcpus", "memory_mb", "management")
SELECT "host_id", "realm_id", count(*), sum("vcpus"), sum("memory_mb"), count(*) FILTER (WHERE "kind" = 'management')
FROM "vms" WHERE "host_id" IS NOT NULL AND "observed_state" <> 'destroyed'
GROUP BY "host_id", "realm_id";
ALTER TABLE "vms" FORCE ROW LEVEL SECURITY;
