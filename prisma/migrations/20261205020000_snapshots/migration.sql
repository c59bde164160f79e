-- Everyday VM work (issue 14): snapshots, resize, the states they show while in flight.
--
-- A snapshot is a saved domain (xl save -c) kept by the VM's host agent; this table is the
-- control plane's record of it: the state the VM was saved in, its size, the disks it covered
-- and its storage, which counts against the realm's disk GiB quota (the saved memory rounded up
-- to whole GiB plus the size of every disk it covered). The storage is reserved by the request
-- that creates the row, in the same transaction, with the same conditional UPDATE of
-- realm_quotas as a disk; it is released by the database when the row is deleted (the worker
-- deletes it once the host discarded the image, or when taking it failed).
--
-- Threat: one realm reading or reverting to another realm's saved memory. The table is a tenant
-- table like disks: the realm id is in the key, row-level security fails closed, and a snapshot
-- can only name a VM of its own realm (composite foreign key).

ALTER TYPE "VmState" ADD VALUE 'resizing';
ALTER TYPE "VmState" ADD VALUE 'snapshotting';
ALTER TYPE "VmState" ADD VALUE 'reverting';

CREATE TABLE "vm_snapshots" (
    "realm_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "vm_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    -- creating (the operation taking it is in flight), ready, deleting (the operation discarding it is in flight).
    "status" TEXT NOT NULL DEFAULT 'creating',
    -- The run state the VM was saved in (a revert brings it back to it): running, paused or stopped.
    "vm_state" TEXT NOT NULL,
    "vcpus" INTEGER NOT NULL,
    "memory_mb" INTEGER NOT NULL,
    "size_gb" INTEGER NOT NULL,
    "disk_ids" UUID[] NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "vm_snapshots_pkey" PRIMARY KEY ("realm_id", "id"),
    CONSTRAINT "vm_snapshots_status_check" CHECK ("status" IN ('creating', 'ready', 'deleting')),
    CONSTRAINT "vm_snapshots_vm_state_check" CHECK ("vm_state" IN ('running', 'paused', 'stopped')),
    CONSTRAINT "vm_snapshots_size_check" CHECK ("vcpus" > 0 AND "memory_mb" > 0 AND "size_gb" >= 0)
);
CREATE UNIQUE INDEX "vm_snapshots_id_key" ON "vm_snapshots"("id");
CREATE UNIQUE INDEX "vm_snapshots_realm_id_vm_id_name_key" ON "vm_snapshots"("realm_id", "vm_id", "name");
CREATE INDEX "vm_snapshots_realm_id_vm_id_created_at_idx" ON "vm_snapshots"("realm_id", "vm_id", "created_at");
ALTER TABLE "vm_snapshots" ADD CONSTRAINT "vm_snapshots_realm_id_fkey" FOREIGN KEY ("realm_id") REFERENCES "realms"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "vm_snapshots" ADD CONSTRAINT "vm_snapshots_realm_id_vm_id_fkey" FOREIGN KEY ("realm_id", "vm_id") REFERENCES "vms"("realm_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Storage is released when the row goes, whoever deletes it (the worker, a VM row deleted).
CREATE FUNCTION "realmgate_snapshot_release"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE "realm_quotas" SET "used_disk_gb" = GREATEST("used_disk_gb" - OLD."size_gb", 0) WHERE "realm_id" = OLD."realm_id";
    RETURN NULL;
END $$;
CREATE TRIGGER "vm_snapshots_quota_release" AFTER DELETE ON "vm_snapshots" FOR EACH ROW EXECUTE FUNCTION "realmgate_snapshot_release"();

REVOKE ALL ON "vm_snapshots" FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON "vm_snapshots" TO realmgate_app, realmgate_platform;
ALTER TABLE "vm_snapshots" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "vm_snapshots" FORCE ROW LEVEL SECURITY;
CREATE POLICY "realm_isolation" ON "vm_snapshots" USING ("realm_id" = (SELECT realmgate_current_realm())) WITH CHECK ("realm_id" = (SELECT realmgate_current_realm()));
