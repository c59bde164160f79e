-- Server-side sessions: the JWT cookie names a row here (sid), and every authenticated request
-- checks that the row is live. Sign-out, "sign out everywhere" and a password change revoke rows,
-- so a copied cookie stops working at once instead of living out its 12 hours. Platform-only:
-- the tenant role has no access (it would list every user's sessions and addresses).
CREATE TABLE "sessions" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),
    "revoked_reason" TEXT,
    "user_agent" TEXT,
    "client_address" TEXT,
    CONSTRAINT "sessions_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "sessions_expiry_check" CHECK ("expires_at" > "created_at")
);
CREATE INDEX "sessions_user_id_created_at_idx" ON "sessions"("user_id", "created_at");
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

GRANT SELECT, INSERT, UPDATE, DELETE ON "sessions" TO realmgate_platform;

-- Sign-in throttling counters (rate-limiter-flexible's RateLimiterPostgres layout: key, points,
-- expire in epoch milliseconds). Created here so the platform role needs no DDL rights; keys
-- are hashes of the normalized email or the client address, never the email itself.
CREATE TABLE "sign_in_throttle" (
    "key" TEXT NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT,
    CONSTRAINT "sign_in_throttle_pkey" PRIMARY KEY ("key")
);

GRANT SELECT, INSERT, UPDATE, DELETE ON "sign_in_throttle" TO realmgate_platform;
