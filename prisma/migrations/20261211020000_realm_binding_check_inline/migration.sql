-- Issue 12: the realm binding's check (realmgate_current_realm, 20261201000000_database_roles)
-- runs about 14 times per lifecycle action: once per tenant table in every statement of the
-- realm transaction, and in each realm notification. The lifecycle bench (track_functions=all)
-- put it and the HMAC function it calls at 0.68 ms of PostgreSQL time per action, 16 % of it.
--
-- The same rule, cheaper to evaluate:
--   * the HMAC is computed in the function itself, from the key row read by a query without
--     parameters (a cached plan on every connection), instead of through a SQL function
--     (realmgate_private.hmac_hex, still used for the notification channels' names) whose call
--     set up an executor and two settings each time;
--   * the signature is checked first, and only a signed binding is parsed: the two regular
--     expressions that guarded the casts are gone, since only the web tier's key makes a
--     signature, and it signs well-formed values only;
--   * no plan_cache_mode setting on the function (20261209030000 gave it one; CREATE OR REPLACE
--     keeps only the settings it names, so one setting fewer to save and restore per call): its
--     query has no parameters, and PL/pgSQL evaluates the rest as simple expressions, neither of
--     which is re-planned under the web connections' force_custom_plan.
-- Measured on a scratch server, 100,000 calls in one statement, four rounds: 14.0 µs per call
-- before, 7.9 µs after.
--
-- Unset, a plain uuid, a forged, truncated or expired binding: still NULL, so every policy
-- matches nothing (server/db/tenant-role.int.test.ts, "the realm binding cannot be chosen from SQL").
CREATE OR REPLACE FUNCTION "realmgate_current_realm"() RETURNS uuid
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    binding TEXT := current_setting('realmgate.realm', true);
    parts TEXT[];
    ipad BYTEA;
    opad BYTEA;
BEGIN
    IF binding IS NULL OR binding = '' THEN
        RETURN NULL;
    END IF;
    parts := string_to_array(binding, '.');
    IF array_length(parts, 1) IS DISTINCT FROM 3 THEN
        RETURN NULL;
    END IF;
    SELECT k."ipad", k."opad" INTO ipad, opad FROM "realmgate_private"."realm_binding_key" k WHERE k."id" = 1;
    IF encode(sha256(opad || sha256(ipad || convert_to(parts[1] || '.' || parts[2], 'UTF8'))), 'hex') IS DISTINCT FROM parts[3] THEN
        RETURN NULL;
    END IF;
    IF parts[2]::bigint < extract(epoch FROM now()) THEN
        RETURN NULL;
    END IF;
    RETURN parts[1]::uuid;
END;
$$;

-- A realm notification from the platform role (the worker settling an operation) needs no realm
-- binding: ask for the role first, so the worker's notifications skip the binding's check.
CREATE OR REPLACE FUNCTION "realmgate_notify_realm"(realm uuid, payload TEXT, wake_worker BOOLEAN) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
    IF NOT pg_has_role(session_user, 'realmgate_platform', 'MEMBER')
       AND realm IS DISTINCT FROM realmgate_current_realm() THEN
        RAISE EXCEPTION 'a tenant transaction notifies only its own realm' USING ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM pg_notify(realmgate_realm_channel(realm), payload);
    -- The worker's wake-up call carries nothing: any session may hear that work arrived.
    IF wake_worker THEN
        PERFORM pg_notify('realmgate_work', '');
    END IF;
END;
$$;
