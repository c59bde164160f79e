-- A realm's disks and networks. Both carry the realm id in their key; an attachment names the
-- VM by (realm_id, vm_id), so a disk or network can be attached only to a VM of its own realm:
-- the schema refuses anything else, even from a bug.
ALTER TYPE "VmState" ADD VALUE 'attaching';
ALTER TYPE "VmState" ADD VALUE 'detaching';

CREATE TABLE "disks" (
    "realm_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "size_gb" INTEGER NOT NULL,
    "vm_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "disks_pkey" PRIMARY KEY ("realm_id","id"),
    CONSTRAINT "disks_size_check" CHECK ("size_gb" > 0)
);
CREATE UNIQUE INDEX "disks_id_key" ON "disks"("id");
CREATE UNIQUE INDEX "disks_realm_id_name_key" ON "disks"("realm_id", "name");
ALTER TABLE "disks" ADD CONSTRAINT "disks_realm_id_fkey" FOREIGN KEY ("realm_id") REFERENCES "realms"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "disks" ADD CONSTRAINT "disks_realm_id_vm_id_fkey" FOREIGN KEY ("realm_id", "vm_id") REFERENCES "vms"("realm_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "networks" (
    "realm_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "networks_pkey" PRIMARY KEY ("realm_id","id")
);
CREATE UNIQUE INDEX "networks_id_key" ON "networks"("id");
CREATE UNIQUE INDEX "networks_realm_id_name_key" ON "networks"("realm_id", "name");
ALTER TABLE "networks" ADD CONSTRAINT "networks_realm_id_fkey" FOREIGN KEY ("realm_id") REFERENCES "realms"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "vm_networks" (
    "realm_id" UUID NOT NULL,
    "vm_id" UUID NOT NULL,
    "network_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "vm_networks_pkey" PRIMARY KEY ("realm_id","vm_id","network_id")
);
ALTER TABLE "vm_networks" ADD CONSTRAINT "vm_networks_realm_id_vm_id_fkey" FOREIGN KEY ("realm_id", "vm_id") REFERENCES "vms"("realm_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "vm_networks" ADD CONSTRAINT "vm_networks_realm_id_network_id_fkey" FOREIGN KEY ("realm_id", "network_id") REFERENCES "networks"("realm_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TRIGGER "disks_realm_immutable" BEFORE UPDATE ON "disks" FOR EACH ROW EXECUTE FUNCTION "realmgate_forbid_realm_move"();
CREATE TRIGGER "networks_realm_immutable" BEFORE UPDATE ON "networks" FOR EACH ROW EXECUTE FUNCTION "realmgate_forbid_realm_move"();

GRANT SELECT, INSERT, UPDATE, DELETE ON "disks", "networks", "vm_networks" TO realmgate_app, realmgate_platform;

ALTER TABLE "disks" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "disks" FORCE ROW LEVEL SECURITY;
CREATE POLICY "realm_isolation" ON "disks" USING ("realm_id" = realmgate_current_realm()) WITH CHECK ("realm_id" = realmgate_current_realm());
ALTER TABLE "networks" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "networks" FORCE ROW LEVEL SECURITY;
CREATE POLICY "realm_isolation" ON "networks" USING ("realm_id" = realmgate_current_realm()) WITH CHECK ("realm_id" = realmgate_current_realm());
ALTER TABLE "vm_networks" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "vm_networks" FORCE ROW LEVEL SECURITY;
CREATE POLICY "realm_isolation" ON "vm_networks" USING ("realm_id" = realmgate_current_realm()) WITH CHECK ("realm_id" = realmgate_current_realm());
