-- Realm lifecycle: onboarding and offboarding by platform operators.
--
-- A realm is `provisioning` until its management domain runs (the worker settles it `ready`, or
-- `failed` with the reason when the management VM's create or start fails; an operator retries).
-- Offboarding marks it `decommissioning`; the worker destroys everything it holds and then marks
-- it `decommissioned`. The realm row stays (its audit trail and its category pair stay on
-- record), and the pair is written to retired_categories, which the allocator never hands out.

CREATE TYPE "RealmStatus" AS ENUM ('provisioning', 'ready', 'failed', 'decommissioning', 'decommissioned');

-- Realms created before this migration already have their management VM requested: ready.
ALTER TABLE "realms" ADD COLUMN "status" "RealmStatus" NOT NULL DEFAULT 'ready';
ALTER TABLE "realms" ALTER COLUMN "status" SET DEFAULT 'provisioning';
ALTER TABLE "realms" ADD COLUMN "status_reason" TEXT;
ALTER TABLE "realms" ADD COLUMN "status_changed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;
ALTER TABLE "realms" ADD COLUMN "ready_at" TIMESTAMPTZ(3);
ALTER TABLE "realms" ADD COLUMN "decommission_requested_at" TIMESTAMPTZ(3);
ALTER TABLE "realms" ADD COLUMN "decommissioned_at" TIMESTAMPTZ(3);
-- The worker's offboarding loop looks for realms still being decommissioned.
CREATE INDEX "realms_status_idx" ON "realms"("status");

-- A category pair once held by a decommissioned realm: never allocated again. Platform-only.
CREATE TABLE "retired_categories" (
    "category_low" INTEGER NOT NULL,
    "category_high" INTEGER NOT NULL,
    "realm_id" UUID NOT NULL,
    "retired_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "retired_categories_pkey" PRIMARY KEY ("category_low", "category_high")
);
CREATE UNIQUE INDEX "retired_categories_realm_id_key" ON "retired_categories"("realm_id");
ALTER TABLE "retired_categories" ADD CONSTRAINT "retired_categories_realm_id_fkey" FOREIGN KEY ("realm_id") REFERENCES "realms"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
REVOKE ALL ON "retired_categories" FROM realmgate_app;
GRANT SELECT, INSERT ON "retired_categories" TO realmgate_platform;

-- A retired pair is retired forever: no update or delete, for any application role.
REVOKE UPDATE, DELETE, TRUNCATE ON "retired_categories" FROM realmgate_app, realmgate_platform;
