-- Devices come back after their driver domain is rebuilt (issue 15 part 3).
--
-- When a host crashes, or a realm's driver domain dies behind the worker's back, the worker
-- builds the driver domain again (a new domid); the guests' disks and interfaces it served are
-- gone from the host (the frontends saw their backend vanish). The worker then attaches each of
-- them again through the hypervisor's FLASK-checked handshake and records here how it went:
--   backend_state  'attached' (as attached, or attached again), 'reattaching' (the driver domain
--                  was rebuilt; the worker attaches it once the VM's domain is on the host), or
--                  'detached' (the host refused the re-attach: backend_reason says why, with its
--                  AVC lines; the device stays recorded, never silently dropped);
--   backend_domid  the driver domain's domid the worker last attached it to (NULL: not re-attached);
--   backend_reason why it is detached (NULL otherwise).
-- Same tables, same row-level security and grants: nothing new to isolate.

ALTER TABLE "disks" ADD COLUMN "backend_state" TEXT NOT NULL DEFAULT 'attached';
ALTER TABLE "disks" ADD COLUMN "backend_domid" INTEGER;
ALTER TABLE "disks" ADD COLUMN "backend_reason" TEXT;
ALTER TABLE "disks" ADD CONSTRAINT "disks_backend_state_check" CHECK ("backend_state" IN ('attached', 'reattaching', 'detached'));

ALTER TABLE "vm_networks" ADD COLUMN "backend_state" TEXT NOT NULL DEFAULT 'attached';
ALTER TABLE "vm_networks" ADD COLUMN "backend_domid" INTEGER;
ALTER TABLE "vm_networks" ADD COLUMN "backend_reason" TEXT;
ALTER TABLE "vm_networks" ADD CONSTRAINT "vm_networks_backend_state_check" CHECK ("backend_state" IN ('attached', 'reattaching', 'detached'));

-- The worker's lookup: a rebuilt driver domain's devices still to attach.
CREATE INDEX "disks_backend_id_backend_state_idx" ON "disks"("backend_id", "backend_state");
CREATE INDEX "vm_networks_backend_id_backend_state_idx" ON "vm_networks"("backend_id", "backend_state");
