-- Placement per host (issue 12: organizations accepted per second). Placements used to hold one
-- fleet-wide advisory lock from their capacity read to COMMIT, so every creation waited for every
-- other one. Now a placement holds that lock shared and the chosen host's lock exclusively
-- (transaction-level advisory locks: class 72707369, key = the host id's first 32 bits, as
-- repositories/hosts.ts computes it), so only placements on the same host take turns; a decision
-- over the whole fleet (a new wall, a resize, a migration) still takes the fleet lock exclusively.
--
-- An onboarding places its realm's management VM at COMMIT. The VM row is inserted without a
-- host; the transaction names the host placement chose (realmgate.placement: "<vm id> <host id>
-- <require online>", transaction-local); this deferred trigger then, as the transaction commits,
-- takes the two locks, judges the host again with what every placement on it committed before
-- the lock was granted (a trigger function takes a new snapshot per statement), and gives the VM
-- its host, or refuses the COMMIT (SQLSTATE RGP01: the caller reads the fleet again and retries).
-- The host's lock is held for the COMMIT alone, not for round trips to the application; a
-- placement decided from a stale read can never land on a host that no longer takes it.
CREATE FUNCTION "realmgate_place_at_commit"() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
DECLARE
    wanted TEXT[] := string_to_array(current_setting('realmgate.placement', true), ' ');
    host UUID;
    require_online BOOLEAN;
BEGIN
    -- Not named by this transaction: left unplaced, as any VM without a host.
    IF wanted IS NULL OR array_length(wanted, 1) <> 3 OR wanted[1] <> NEW."id"::text THEN
        RETURN NULL;
    END IF;
    host := wanted[2]::uuid;
    require_online := wanted[3]::boolean;
    PERFORM pg_advisory_xact_lock_shared(72707369002);
    PERFORM pg_advisory_xact_lock(72707369, ('x' || substr(replace(host::text, '-', ''), 1, 8))::bit(32)::int);
    IF NOT EXISTS (
        SELECT 1 FROM "hosts" h LEFT JOIN "host_usage" u ON u."host_id" = h."id"
         WHERE h."id" = host
           AND (NOT require_online OR h."status" = 'online')
           AND h."vcpus" - COALESCE(u."vcpus", 0) >= NEW."vcpus"
           AND h."memory_mb" - COALESCE(u."memory_mb", 0) >= NEW."memory_mb"
           AND NOT EXISTS (
               SELECT 1 FROM "host_realm_usage" hr JOIN "realm_conflicts" c
                   ON (c."realm_low" = NEW."realm_id" AND c."realm_high" = hr."realm_id") OR (c."realm_high" = NEW."realm_id" AND c."realm_low" = hr."realm_id")
                WHERE hr."host_id" = h."id")) THEN
        RAISE EXCEPTION 'the host chosen for VM % no longer takes it', NEW."id" USING ERRCODE = 'RGP01';
    END IF;
    UPDATE "vms" SET "host_id" = host WHERE "realm_id" = NEW."realm_id" AND "id" = NEW."id" AND "host_id" IS NULL;
    RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION "realmgate_place_at_commit"() FROM PUBLIC;

CREATE CONSTRAINT TRIGGER "vms_place_at_commit" AFTER INSERT ON "vms" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
    WHEN (NEW."host_id" IS NULL AND NEW."kind" = 'management')
    EXECUTE FUNCTION "realmgate_place_at_commit"();
