-- SSO and MFA (issue 10). Every table here is platform-only: sign-in and the security page run on
-- the platform client; the tenant role (realmgate_app) gets no privilege on any of them, so SQL
-- run as a tenant can read neither TOTP secrets (encrypted anyway), recovery-code hashes, passkey
-- public keys nor SSO links.

-- Org owners can require a second factor of every member (checked by realmProcedure).
ALTER TABLE "organizations" ADD COLUMN "require_mfa" BOOLEAN NOT NULL DEFAULT false;

-- One TOTP authenticator per user. The secret is AES-256-GCM ciphertext (key derived from
-- NEXTAUTH_SECRET by HKDF); `enabled_at` is null while enrolment awaits its confirming code;
-- `last_step` is the newest accepted time step, so a code is never accepted twice.
CREATE TABLE "user_totp" (
    "user_id" UUID NOT NULL,
    "secret_ciphertext" TEXT NOT NULL,
    "enabled_at" TIMESTAMPTZ(3),
    "last_step" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "user_totp_pkey" PRIMARY KEY ("user_id")
);
ALTER TABLE "user_totp" ADD CONSTRAINT "user_totp_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Recovery codes: SHA-256 of 80-bit random codes (high entropy, so no slow hash is needed);
-- single use (`used_at`).
CREATE TABLE "mfa_recovery_codes" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "code_hash" TEXT NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "mfa_recovery_codes_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "mfa_recovery_codes_user_id_code_hash_key" ON "mfa_recovery_codes"("user_id", "code_hash");
ALTER TABLE "mfa_recovery_codes" ADD CONSTRAINT "mfa_recovery_codes_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Passkeys (WebAuthn) as a second factor. `id` is the credential id and `public_key` the COSE
-- public key, both base64url; `transports` is a comma-separated list (usb, nfc, internal…).
CREATE TABLE "webauthn_credentials" (
    "id" TEXT NOT NULL,
    "user_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "public_key" TEXT NOT NULL,
    "counter" BIGINT NOT NULL DEFAULT 0,
    "transports" TEXT NOT NULL DEFAULT '',
    "last_used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "webauthn_credentials_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "webauthn_credentials_user_id_idx" ON "webauthn_credentials"("user_id");
ALTER TABLE "webauthn_credentials" ADD CONSTRAINT "webauthn_credentials_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- WebAuthn challenges, single use, short-lived. `user_id` is set for registration (a signed-in
-- user) and null for a sign-in assertion (the user is proven by password + assertion together).
CREATE TABLE "webauthn_challenges" (
    "challenge" TEXT NOT NULL,
    "user_id" UUID,
    "purpose" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "webauthn_challenges_pkey" PRIMARY KEY ("challenge"),
    CONSTRAINT "webauthn_challenges_purpose_check" CHECK ("purpose" IN ('register', 'authenticate'))
);
CREATE INDEX "webauthn_challenges_expires_at_idx" ON "webauthn_challenges"("expires_at");
ALTER TABLE "webauthn_challenges" ADD CONSTRAINT "webauthn_challenges_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- SSO links: an OpenID Connect subject (per issuer) signs in as one Realmgate user.
CREATE TABLE "user_identities" (
    "provider" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "user_id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_sign_in_at" TIMESTAMPTZ(3),
    CONSTRAINT "user_identities_pkey" PRIMARY KEY ("provider", "subject")
);
CREATE INDEX "user_identities_user_id_idx" ON "user_identities"("user_id");
ALTER TABLE "user_identities" ADD CONSTRAINT "user_identities_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

GRANT SELECT, INSERT, UPDATE, DELETE ON "user_totp", "mfa_recovery_codes", "webauthn_credentials", "webauthn_challenges", "user_identities" TO realmgate_platform;
