-- Invitations (issue 9): an organization's owners and admins invite a person by email to one
-- role; a platform operator invites an organization's first owner.
--
-- Threats: a guessed or leaked link (the token is 256 random bits and only its SHA-256 is
-- stored: a database read does not yield a usable link); a link used twice, after it expired or
-- after it was revoked (accepted_at / revoked_at / expires_at, checked under a row lock at
-- acceptance); a tenant reading or revoking another realm's invitations (row-level security on
-- realm_id, as for every tenant table).
CREATE TABLE "invitations" (
    "realm_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "role" "MemberRole" NOT NULL,
    "token_hash" TEXT NOT NULL,
    "created_by_id" UUID NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "accepted_at" TIMESTAMPTZ(3),
    "accepted_by_id" UUID,
    "revoked_at" TIMESTAMPTZ(3),
    "revoked_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "invitations_pkey" PRIMARY KEY ("realm_id", "id"),
    CONSTRAINT "invitations_email_lowercase" CHECK ("email" = lower("email")),
    CONSTRAINT "invitations_used_once" CHECK (("accepted_at" IS NULL) = ("accepted_by_id" IS NULL))
);
CREATE UNIQUE INDEX "invitations_id_key" ON "invitations"("id");
CREATE UNIQUE INDEX "invitations_token_hash_key" ON "invitations"("token_hash");
CREATE INDEX "invitations_realm_id_email_idx" ON "invitations"("realm_id", "email");
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_realm_id_fkey" FOREIGN KEY ("realm_id") REFERENCES "realms"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

ALTER TABLE "invitations" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "invitations" FORCE ROW LEVEL SECURITY;
CREATE POLICY "realm_isolation" ON "invitations"
    USING ("realm_id" = (SELECT realmgate_current_realm()))
    WITH CHECK ("realm_id" = (SELECT realmgate_current_realm()));
-- Members create, list and revoke (UPDATE of revoked_at) their realm's invitations; acceptance
-- (no realm known yet, only a token) and the operator's first-owner invitation run on the
-- platform role. Nothing deletes an invitation: it stays as a record of who invited whom.
GRANT SELECT, INSERT, UPDATE ON "invitations" TO realmgate_app;
GRANT SELECT, INSERT, UPDATE ON "invitations" TO realmgate_platform;

-- The local outbox: mail a real mailer would send (and then set sent_at). Here it holds the
-- invitation links. The tenant role may only add to it (in the transaction that creates the
-- invitation, so both commit or neither): it cannot read it back, so SQL run as a tenant never
-- sees another realm's links.
CREATE TABLE "outbox_messages" (
    "id" UUID NOT NULL,
    "to" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),
    CONSTRAINT "outbox_messages_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "outbox_messages_sent_at_created_at_idx" ON "outbox_messages"("sent_at", "created_at");
GRANT INSERT ON "outbox_messages" TO realmgate_app;
GRANT SELECT, INSERT, UPDATE ON "outbox_messages" TO realmgate_platform;
