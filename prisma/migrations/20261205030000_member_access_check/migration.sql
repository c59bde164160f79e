-- A realm request's identity, re-checked inside its own transaction (issue 12). The web tier
-- keeps a realm request's identity (session, user, membership) in memory for a short while
-- instead of reading it before every request; each realm transaction then asserts, in the same
-- message as BEGIN and the realm binding, that the identity it acts on still holds: the session
-- live, the user's session epoch unchanged, a membership with the same role in the organization
-- of the realm the transaction is bound to, and that organization's MFA requirement unchanged.
-- Anything else raises RGA01 and nothing of the request runs: the web tier reads the identity
-- again and decides afresh. So a revoked session, a removed or demoted member, or "sign out
-- everywhere" takes effect at the next request, as before, without a statement of its own.
--
-- SECURITY DEFINER: the tenant role reads none of these tables. What it learns is one bit about
-- a session id it already holds (a random uuid from the caller's own cookie).
CREATE FUNCTION "realmgate_assert_member_access"(p_session uuid, p_user uuid, p_epoch integer, p_role text, p_require_mfa boolean) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
    IF NOT EXISTS (
        SELECT 1
          FROM "sessions" s
          JOIN "users" u ON u."id" = s."user_id"
          JOIN "memberships" m ON m."user_id" = u."id"
          JOIN "organizations" o ON o."id" = m."org_id"
          JOIN "realms" r ON r."org_id" = o."id"
         WHERE s."id" = p_session AND s."user_id" = p_user
           AND s."revoked_at" IS NULL AND s."expires_at" > now()
           AND u."session_epoch" = p_epoch
           AND r."id" = "realmgate_current_realm"()
           AND m."role"::text = p_role
           AND o."require_mfa" = p_require_mfa
    ) THEN
        RAISE EXCEPTION 'the caller''s access changed since it was read' USING ERRCODE = 'RGA01';
    END IF;
END
$$;
REVOKE ALL ON FUNCTION "realmgate_assert_member_access"(uuid, uuid, integer, text, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION "realmgate_assert_member_access"(uuid, uuid, integer, text, boolean) TO realmgate_app;
