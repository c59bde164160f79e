-- Backend domains (issue 15 part 3): a realm's driver domains, and which backend serves each
-- disk attachment and network interface.
--
-- A driver domain is a domain of the realm on one host (driver_domain_t at the realm's level):
-- an untrusted backend that may serve only its own realm's frontends (the hypervisor's FLASK
-- policy decides that). The worker builds it on its host as the realm's management domain,
-- records its domid, and destroys it when the row is marked removing. The platform's storage
-- and network backends are per host and need no row: a NULL backend_id means "the platform's".
--
-- Threat: one realm choosing another realm's driver domain as a backend, or seeing it. The
-- table is a tenant table like disks (realm id in the key, row-level security fails closed),
-- and an attachment can only name a driver domain of its own realm (composite foreign keys).

CREATE TABLE "driver_domains" (
    "realm_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "host_id" UUID NOT NULL,
    "domid" INTEGER,
    -- creating (the worker builds it), running, failed (the host refused: state_reason), removing.
    "state" TEXT NOT NULL DEFAULT 'creating',
    "state_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "driver_domains_pkey" PRIMARY KEY ("realm_id", "id"),
    CONSTRAINT "driver_domains_state_check" CHECK ("state" IN ('creating', 'running', 'failed', 'removing'))
);
CREATE UNIQUE INDEX "driver_domains_id_key" ON "driver_domains"("id");
CREATE UNIQUE INDEX "driver_domains_realm_id_name_key" ON "driver_domains"("realm_id", "name");
CREATE INDEX "driver_domains_host_id_state_idx" ON "driver_domains"("host_id", "state");
ALTER TABLE "driver_domains" ADD CONSTRAINT "driver_domains_realm_id_fkey" FOREIGN KEY ("realm_id") REFERENCES "realms"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "driver_domains" ADD CONSTRAINT "driver_domains_host_id_fkey" FOREIGN KEY ("host_id") REFERENCES "hosts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

ALTER TABLE "disks" ADD COLUMN "backend_id" UUID;
ALTER TABLE "disks" ADD CONSTRAINT "disks_realm_id_backend_id_fkey" FOREIGN KEY ("realm_id", "backend_id") REFERENCES "driver_domains"("realm_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "vm_networks" ADD COLUMN "backend_id" UUID;
ALTER TABLE "vm_networks" ADD CONSTRAINT "vm_networks_realm_id_backend_id_fkey" FOREIGN KEY ("realm_id", "backend_id") REFERENCES "driver_domains"("realm_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

REVOKE ALL ON "driver_domains" FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON "driver_domains" TO realmgate_app, realmgate_platform;
ALTER TABLE "driver_domains" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "driver_domains" FORCE ROW LEVEL SECURITY;
CREATE POLICY "realm_isolation" ON "driver_domains" USING ("realm_id" = (SELECT realmgate_current_realm())) WITH CHECK ("realm_id" = (SELECT realmgate_current_realm()));
