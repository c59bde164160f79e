-- Pause, resume, reboot, hard stop and migrate; Chinese Wall conflict sets between realms.
ALTER TYPE "VmState" ADD VALUE 'pausing';
ALTER TYPE "VmState" ADD VALUE 'resuming';
ALTER TYPE "VmState" ADD VALUE 'rebooting';
ALTER TYPE "VmState" ADD VALUE 'migrating';

-- Action parameters: { "mode": "hard" } for a hard stop, { "destinationHostId": … } for a
-- migration, { "then": "start" } for a rebuild that must end running.
ALTER TABLE "operations" ADD COLUMN "params" JSONB;

-- ACM Chinese Wall between realms: the two realms of a pair never run on the same physical
-- host. Declared by platform operators; placement and migration honour it, and the hosts'
-- ACM module refuses a conflicting domain as well.
CREATE TABLE "realm_conflicts" (
    "realm_low" UUID NOT NULL,
    "realm_high" UUID NOT NULL,
    "reason" TEXT NOT NULL,
    "created_by" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "realm_conflicts_pkey" PRIMARY KEY ("realm_low","realm_high"),
    CONSTRAINT "realm_conflicts_order_check" CHECK ("realm_low" < "realm_high")
);
ALTER TABLE "realm_conflicts" ADD CONSTRAINT "realm_conflicts_realm_low_fkey" FOREIGN KEY ("realm_low") REFERENCES "realms"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "realm_conflicts" ADD CONSTRAINT "realm_conflicts_realm_high_fkey" FOREIGN KEY ("realm_high") REFERENCES "realms"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "realm_conflicts" ADD CONSTRAINT "realm_conflicts_created_by_fkey" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
GRANT SELECT, INSERT, DELETE ON "realm_conflicts" TO realmgate_platform;
GRANT SELECT ON "realm_conflicts" TO realmgate_app;
