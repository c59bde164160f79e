-- API tokens (issue 11): a member's credential for scripts, narrower than the member.
--
-- Threats: a leaked database dump yielding usable credentials (only the SHA-256 of the token's
-- 190-bit secret is stored; the lookup id finds the row without comparing secrets in SQL); a
-- token outliving its member's access (the request-time check intersects the token's
-- permissions with the member's current role and needs a membership at least as old as the
-- token; ending a membership revokes its tokens below, so a later re-invitation does not revive
-- them); a tenant reading or revoking another realm's tokens (row-level security on realm_id).
CREATE TABLE "api_tokens" (
    "realm_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "lookup_id" TEXT NOT NULL,
    "org_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "permissions" TEXT[] NOT NULL,
    "allowed_cidr" TEXT,
    "secret_hash" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "last_used_address" TEXT,
    "revoked_at" TIMESTAMPTZ(3),
    "revoked_by_id" UUID,
    "revoke_reason" TEXT,
    CONSTRAINT "api_tokens_pkey" PRIMARY KEY ("realm_id", "id"),
    CONSTRAINT "api_tokens_allowed_cidr_canonical" CHECK ("allowed_cidr" IS NULL OR "allowed_cidr" = ("allowed_cidr"::cidr)::text),
    CONSTRAINT "api_tokens_expiry_within_a_year" CHECK ("expires_at" > "created_at" AND "expires_at" <= "created_at" + interval '366 days'),
    CONSTRAINT "api_tokens_revocation_complete" CHECK (("revoked_at" IS NULL) = ("revoke_reason" IS NULL))
);
CREATE UNIQUE INDEX "api_tokens_id_key" ON "api_tokens"("id");
CREATE UNIQUE INDEX "api_tokens_lookup_id_key" ON "api_tokens"("lookup_id");
CREATE INDEX "api_tokens_org_id_user_id_idx" ON "api_tokens"("org_id", "user_id");
CREATE UNIQUE INDEX "api_tokens_live_name_key" ON "api_tokens"("realm_id", "user_id", "name") WHERE "revoked_at" IS NULL;
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_realm_id_fkey" FOREIGN KEY ("realm_id") REFERENCES "realms"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

ALTER TABLE "api_tokens" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "api_tokens" FORCE ROW LEVEL SECURITY;
CREATE POLICY "realm_isolation" ON "api_tokens"
    USING ("realm_id" = (SELECT realmgate_current_realm()))
    WITH CHECK ("realm_id" = (SELECT realmgate_current_realm()));
-- Members create, list and revoke (UPDATE) their realm's tokens; validating a bearer token (no
-- realm known yet, only the token) and recording its last use run on the platform role.
-- Nothing deletes a token: it stays as the name the audit trail refers to.
GRANT SELECT, INSERT, UPDATE ON "api_tokens" TO realmgate_app;
GRANT SELECT, INSERT, UPDATE ON "api_tokens" TO realmgate_platform;

-- Ending a membership (removal, offboarding, a deleted user) revokes its tokens in the same
-- statement. Runs as the deleting role: only the platform role deletes memberships, and it
-- sees every realm's tokens (the owner role, under FORCE ROW LEVEL SECURITY, would see none).
CREATE FUNCTION realmgate_revoke_membership_tokens() RETURNS trigger
    LANGUAGE plpgsql SET search_path = public AS $$
BEGIN
    UPDATE "api_tokens" SET "revoked_at" = CURRENT_TIMESTAMP, "revoke_reason" = 'membership ended'
     WHERE "org_id" = OLD."org_id" AND "user_id" = OLD."user_id" AND "revoked_at" IS NULL;
    RETURN OLD;
END;
$$;
CREATE TRIGGER "memberships_revoke_tokens" AFTER DELETE ON "memberships"
    FOR EACH ROW EXECUTE FUNCTION realmgate_revoke_membership_tokens();

-- Who acted: a token acting for its member is named in the trail and on the operations it asks
-- for (the worker's records of the outcome carry it on).
ALTER TABLE "audit_events" ADD COLUMN "actor_token_id" UUID;
ALTER TABLE "operations" ADD COLUMN "requested_by_token_id" UUID;
