-- A network driver domain per realm (issue 15 part 4): a realm network served by one of the
-- realm's driver domains (its NDVM), the realm's network rules the NDVM enforces, the
-- platform's rules no realm can override, and the flow tests the worker runs on the NDVM's host.
--
-- Threat: a realm reading or changing another realm's rules, NDVMs or flow tests, or the
-- platform's rules. The realm's tables are tenant tables (realm id in the key, row-level
-- security fails closed; an NDVM can only be a driver domain of the network's own realm,
-- composite foreign keys); the platform's rules are granted to the platform role alone.

-- The network's NDVM: guests' vifs on the network are served by it. A member's removal of a
-- driver domain that is an NDVM asks first (services/backends.ts); once its row goes (the worker
-- after destroying it, decommissioning) the assignment goes with it.
-- rules_* and counters are what the NDVM reported it enforces (the worker's, each poll).
CREATE TABLE "network_ndvms" (
    "realm_id" UUID NOT NULL,
    "network_id" UUID NOT NULL,
    "driver_domain_id" UUID NOT NULL,
    "rules_version" INTEGER,
    "rules_hash" TEXT,
    "counters" JSONB NOT NULL DEFAULT '{}',
    "synced_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "network_ndvms_pkey" PRIMARY KEY ("realm_id", "network_id")
);
CREATE INDEX "network_ndvms_realm_id_driver_domain_id_idx" ON "network_ndvms"("realm_id", "driver_domain_id");
ALTER TABLE "network_ndvms" ADD CONSTRAINT "network_ndvms_realm_id_network_id_fkey" FOREIGN KEY ("realm_id", "network_id") REFERENCES "networks"("realm_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "network_ndvms" ADD CONSTRAINT "network_ndvms_realm_id_driver_domain_id_fkey" FOREIGN KEY ("realm_id", "driver_domain_id") REFERENCES "driver_domains"("realm_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The realm's rules: allow only (default deny). from: a VM or a network; to: a VM, a network or
-- the uplink; ports: a range, or none (every port; icmp has none). Ids are not foreign keys (a
-- rule naming a VM that is gone matches nothing); the service checks them at insert.
CREATE TABLE "network_rules" (
    "realm_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "from_kind" TEXT NOT NULL,
    "from_id" UUID NOT NULL,
    "to_kind" TEXT NOT NULL,
    "to_id" UUID,
    "protocol" TEXT NOT NULL,
    "port_from" INTEGER,
    "port_to" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "network_rules_pkey" PRIMARY KEY ("realm_id", "id"),
    CONSTRAINT "network_rules_from_check" CHECK ("from_kind" IN ('vm', 'network')),
    CONSTRAINT "network_rules_to_check" CHECK (("to_kind" IN ('vm', 'network') AND "to_id" IS NOT NULL) OR ("to_kind" = 'uplink' AND "to_id" IS NULL)),
    CONSTRAINT "network_rules_protocol_check" CHECK ("protocol" IN ('tcp', 'udp', 'icmp', 'any')),
    CONSTRAINT "network_rules_ports_check" CHECK (("port_from" IS NULL AND "port_to" IS NULL) OR ("protocol" <> 'icmp' AND "port_from" BETWEEN 1 AND 65535 AND "port_to" BETWEEN "port_from" AND 65535))
);
CREATE UNIQUE INDEX "network_rules_id_key" ON "network_rules"("id");
ALTER TABLE "network_rules" ADD CONSTRAINT "network_rules_realm_id_fkey" FOREIGN KEY ("realm_id") REFERENCES "realms"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- A flow test asked through the API ("can x reach y", or a counted connection attempt), run by
-- the worker on the NDVM's host; the verdict names the deciding layer and rule, with AVC lines.
CREATE TABLE "flow_tests" (
    "realm_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "network_id" UUID NOT NULL,
    "from_vm_id" UUID NOT NULL,
    "to_vm_id" UUID,
    "to_address" TEXT,
    "protocol" TEXT NOT NULL,
    "port" INTEGER,
    "attempt" BOOLEAN NOT NULL DEFAULT false,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "allowed" BOOLEAN,
    "layer" TEXT,
    "rule_id" TEXT,
    "reason" TEXT,
    "avc" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decided_at" TIMESTAMPTZ(3),

    CONSTRAINT "flow_tests_pkey" PRIMARY KEY ("realm_id", "id"),
    CONSTRAINT "flow_tests_status_check" CHECK ("status" IN ('pending', 'done', 'failed')),
    CONSTRAINT "flow_tests_protocol_check" CHECK ("protocol" IN ('tcp', 'udp', 'icmp'))
);
CREATE UNIQUE INDEX "flow_tests_id_key" ON "flow_tests"("id");
CREATE INDEX "flow_tests_status_created_at_idx" ON "flow_tests"("status", "created_at");
ALTER TABLE "flow_tests" ADD CONSTRAINT "flow_tests_realm_id_network_id_fkey" FOREIGN KEY ("realm_id", "network_id") REFERENCES "networks"("realm_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

REVOKE ALL ON "network_ndvms", "network_rules", "flow_tests" FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON "network_ndvms", "network_rules", "flow_tests" TO realmgate_app, realmgate_platform;
ALTER TABLE "network_ndvms" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "network_ndvms" FORCE ROW LEVEL SECURITY;
CREATE POLICY "realm_isolation" ON "network_ndvms" USING ("realm_id" = (SELECT realmgate_current_realm())) WITH CHECK ("realm_id" = (SELECT realmgate_current_realm()));
ALTER TABLE "network_rules" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "network_rules" FORCE ROW LEVEL SECURITY;
CREATE POLICY "realm_isolation" ON "network_rules" USING ("realm_id" = (SELECT realmgate_current_realm())) WITH CHECK ("realm_id" = (SELECT realmgate_current_realm()));
ALTER TABLE "flow_tests" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "flow_tests" FORCE ROW LEVEL SECURITY;
CREATE POLICY "realm_isolation" ON "flow_tests" USING ("realm_id" = (SELECT realmgate_current_realm())) WITH CHECK ("realm_id" = (SELECT realmgate_current_realm()));

-- The platform's rules (deny only, towards the uplink, optionally one address): operators write
-- them, the worker loads them into every host. No tenant access at all.
CREATE TABLE "platform_network_rules" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "address" TEXT,
    "protocol" TEXT NOT NULL,
    "port_from" INTEGER,
    "port_to" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "platform_network_rules_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "platform_network_rules_protocol_check" CHECK ("protocol" IN ('tcp', 'udp', 'icmp', 'any')),
    CONSTRAINT "platform_network_rules_ports_check" CHECK (("port_from" IS NULL AND "port_to" IS NULL) OR ("protocol" <> 'icmp' AND "port_from" BETWEEN 1 AND 65535 AND "port_to" BETWEEN "port_from" AND 65535))
);
CREATE UNIQUE INDEX "platform_network_rules_name_key" ON "platform_network_rules"("name");
REVOKE ALL ON "platform_network_rules" FROM PUBLIC;
GRANT SELECT, INSERT, DELETE ON "platform_network_rules" TO realmgate_platform;
