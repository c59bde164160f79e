-- The realm on whose behalf an operation runs: its management domain is the XSM subject of the
-- hypercall. Layers 1 and 2 make it equal to the VM's realm; recording it separately lets the
-- hypervisor (layer 3) judge the request on its own, and a disagreement raise an alarm.
ALTER TABLE "operations" ADD COLUMN "subject_realm_id" UUID;
UPDATE "operations" SET "subject_realm_id" = "realm_id";
ALTER TABLE "operations" ALTER COLUMN "subject_realm_id" SET NOT NULL;
ALTER TABLE "operations" ADD CONSTRAINT "operations_subject_realm_id_fkey" FOREIGN KEY ("subject_realm_id") REFERENCES "realms"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- The VM's state when the operation was accepted: an operation that fails without effect (an
-- XSM denial, an unreachable host past the deadline) puts the VM back where it was.
ALTER TABLE "operations" ADD COLUMN "from_state" "VmState";
