-- Cross-realm sharing agreements (issue 15 part 5): realm A's owner proposes "A's VM x may send
-- to B's VM y over Argo" (one way or both, on one port), B's owner accepts or declines, either
-- side revokes, it expires. The worker turns an active agreement into an Argo bridge on the
-- host, where FLASK decides every send (xen/argo-bridges.ts).
--
-- Threat: a realm reading another realm's agreements, or acting for the other side. One row per
-- agreement, visible to exactly its two realms (the proposer's realm_id and the peer_realm_id the
-- proposal reached; a proposal that reached no realm has none and only its proposer sees it);
-- row-level security fails closed for every other realm. Each side's transitions are statements
-- whose WHERE binds the caller's side (repositories/agreements.ts): only the peer accepts or
-- declines; either side revokes. The VMs are composite foreign keys into their own realm: x is
-- the proposer's, y (resolved at acceptance, inside the peer's realm) the peer's.
CREATE TABLE "agreements" (
    "id" UUID NOT NULL,
    "realm_id" UUID NOT NULL,
    "peer_realm_id" UUID,
    "source_org" TEXT NOT NULL,
    "target_org" TEXT NOT NULL,
    "target_vm_name" TEXT NOT NULL,
    "from_vm_id" UUID NOT NULL,
    "from_vm_name" TEXT NOT NULL,
    "to_vm_id" UUID,
    "two_way" BOOLEAN NOT NULL DEFAULT false,
    "port" INTEGER NOT NULL,
    "state" TEXT NOT NULL DEFAULT 'proposed',
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "proposed_by" UUID,
    "decided_by" UUID,
    "decided_at" TIMESTAMPTZ(3),
    "ended_by_realm_id" UUID,
    "ended_at" TIMESTAMPTZ(3),
    "channel_status" TEXT NOT NULL DEFAULT 'none',
    "channel_reason" TEXT,
    "host_id" UUID,
    "delivered" INTEGER NOT NULL DEFAULT 0,
    "refused" INTEGER NOT NULL DEFAULT 0,
    "first_used_at" TIMESTAMPTZ(3),
    "synced_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "agreements_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "agreements_state_check" CHECK ("state" IN ('proposed', 'active', 'revoked', 'expired', 'declined')),
    CONSTRAINT "agreements_channel_check" CHECK ("channel_status" IN ('none', 'waiting', 'open', 'closed')),
    CONSTRAINT "agreements_port_check" CHECK ("port" BETWEEN 1 AND 65535),
    CONSTRAINT "agreements_peer_check" CHECK ("peer_realm_id" IS NULL OR "peer_realm_id" <> "realm_id"),
    CONSTRAINT "agreements_active_check" CHECK ("state" NOT IN ('active') OR ("peer_realm_id" IS NOT NULL AND "to_vm_id" IS NOT NULL))
);
CREATE INDEX "agreements_realm_id_created_at_idx" ON "agreements"("realm_id", "created_at");
CREATE INDEX "agreements_peer_realm_id_created_at_idx" ON "agreements"("peer_realm_id", "created_at");
CREATE INDEX "agreements_state_expires_at_idx" ON "agreements"("state", "expires_at");
ALTER TABLE "agreements" ADD CONSTRAINT "agreements_realm_id_from_vm_id_fkey" FOREIGN KEY ("realm_id", "from_vm_id") REFERENCES "vms"("realm_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "agreements" ADD CONSTRAINT "agreements_peer_realm_id_to_vm_id_fkey" FOREIGN KEY ("peer_realm_id", "to_vm_id") REFERENCES "vms"("realm_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "agreements" ADD CONSTRAINT "agreements_peer_realm_id_fkey" FOREIGN KEY ("peer_realm_id") REFERENCES "realms"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "agreements" ADD CONSTRAINT "agreements_realm_id_fkey" FOREIGN KEY ("realm_id") REFERENCES "realms"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- A test send over an agreement, asked by a member of either realm (its realm_id) and answered by
-- the worker on the host: delivered, or refused with the hypervisor's error and AVC lines.
CREATE TABLE "agreement_tests" (
    "realm_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "agreement_id" UUID NOT NULL,
    "reverse" BOOLEAN NOT NULL DEFAULT false,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "delivered" BOOLEAN,
    "reason" TEXT,
    "avc" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "requested_by" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decided_at" TIMESTAMPTZ(3),

    CONSTRAINT "agreement_tests_pkey" PRIMARY KEY ("realm_id", "id"),
    CONSTRAINT "agreement_tests_status_check" CHECK ("status" IN ('pending', 'done', 'failed'))
);
CREATE UNIQUE INDEX "agreement_tests_id_key" ON "agreement_tests"("id");
CREATE INDEX "agreement_tests_status_created_at_idx" ON "agreement_tests"("status", "created_at");
ALTER TABLE "agreement_tests" ADD CONSTRAINT "agreement_tests_agreement_id_fkey" FOREIGN KEY ("agreement_id") REFERENCES "agreements"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "agreement_tests" ADD CONSTRAINT "agreement_tests_realm_id_fkey" FOREIGN KEY ("realm_id") REFERENCES "realms"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

REVOKE ALL ON "agreements", "agreement_tests" FROM PUBLIC;
-- The tenant inserts proposals and changes only the state columns; the worker (platform) writes
-- the channel's status and counters.
GRANT SELECT, INSERT ON "agreements" TO realmgate_app;
GRANT UPDATE ("state", "to_vm_id", "decided_by", "decided_at", "ended_by_realm_id", "ended_at") ON "agreements" TO realmgate_app;
GRANT SELECT, INSERT ON "agreement_tests" TO realmgate_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON "agreements", "agreement_tests" TO realmgate_platform;
ALTER TABLE "agreements" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "agreements" FORCE ROW LEVEL SECURITY;
CREATE POLICY "realm_isolation" ON "agreements"
    USING ("realm_id" = (SELECT realmgate_current_realm()) OR "peer_realm_id" = (SELECT realmgate_current_realm()))
    WITH CHECK ("realm_id" = (SELECT realmgate_current_realm()) OR "peer_realm_id" = (SELECT realmgate_current_realm()));
-- Only the peer realm decides a proposal, also for SQL that bypasses the application (layer 2):
-- a proposal becomes active or declined, and gets its destination VM, only in a transaction bound
-- to its peer realm, and only while it is proposed.
CREATE FUNCTION "agreements_peer_decides"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW."state" IS DISTINCT FROM OLD."state" AND NEW."state" IN ('active', 'declined'))
       OR NEW."to_vm_id" IS DISTINCT FROM OLD."to_vm_id" THEN
        IF OLD."state" <> 'proposed' OR OLD."peer_realm_id" IS NULL OR OLD."peer_realm_id" IS DISTINCT FROM realmgate_current_realm() THEN
            RAISE EXCEPTION 'only the peer realm accepts or declines a proposal' USING ERRCODE = 'insufficient_privilege';
        END IF;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER "agreements_peer_decides" BEFORE UPDATE ON "agreements" FOR EACH ROW EXECUTE FUNCTION "agreements_peer_decides"();

ALTER TABLE "agreement_tests" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "agreement_tests" FORCE ROW LEVEL SECURITY;
CREATE POLICY "realm_isolation" ON "agreement_tests" USING ("realm_id" = (SELECT realmgate_current_realm())) WITH CHECK ("realm_id" = (SELECT realmgate_current_realm()));
