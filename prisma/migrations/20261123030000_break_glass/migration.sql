-- Break-glass: platform operators have no tenant powers by default. Acting inside a realm needs
-- an explicit grant: one operator, one realm, a reason, an expiry; revocable; audited. The
-- realm's own members can read the grants on their realm (row-level security, like any tenant
-- table).
CREATE TABLE "break_glass_grants" (
    "realm_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "operator_id" UUID NOT NULL,
    "reason" TEXT NOT NULL,
    "role" "MemberRole" NOT NULL DEFAULT 'admin',
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "break_glass_grants_pkey" PRIMARY KEY ("realm_id","id"),
    CONSTRAINT "break_glass_grants_reason_check" CHECK (length(trim("reason")) >= 10),
    CONSTRAINT "break_glass_grants_expiry_check" CHECK ("expires_at" > "created_at")
);
CREATE UNIQUE INDEX "break_glass_grants_id_key" ON "break_glass_grants"("id");
CREATE INDEX "break_glass_grants_operator_id_expires_at_idx" ON "break_glass_grants"("operator_id", "expires_at");
ALTER TABLE "break_glass_grants" ADD CONSTRAINT "break_glass_grants_realm_id_fkey" FOREIGN KEY ("realm_id") REFERENCES "realms"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "break_glass_grants" ADD CONSTRAINT "break_glass_grants_operator_id_fkey" FOREIGN KEY ("operator_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TRIGGER "break_glass_grants_realm_immutable" BEFORE UPDATE ON "break_glass_grants"
    FOR EACH ROW EXECUTE FUNCTION "realmgate_forbid_realm_move"();

GRANT SELECT, INSERT, UPDATE ON "break_glass_grants" TO realmgate_platform;
GRANT SELECT ON "break_glass_grants" TO realmgate_app;

ALTER TABLE "break_glass_grants" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "break_glass_grants" FORCE ROW LEVEL SECURITY;
CREATE POLICY "realm_isolation" ON "break_glass_grants"
    USING ("realm_id" = realmgate_current_realm())
    WITH CHECK ("realm_id" = realmgate_current_realm());
