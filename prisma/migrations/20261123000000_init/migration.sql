-- Realmgate initial schema. Written by hand in Prisma's layout; applied by server/db/migrate.ts.

CREATE TYPE "MemberRole" AS ENUM ('owner', 'admin', 'operator', 'viewer');
CREATE TYPE "HostStatus" AS ENUM ('online', 'unreachable');
CREATE TYPE "VmKind" AS ENUM ('management', 'guest');
CREATE TYPE "VmState" AS ENUM ('creating', 'stopped', 'starting', 'running', 'stopping', 'paused', 'destroyed', 'failed');
CREATE TYPE "OperationStatus" AS ENUM ('pending', 'running', 'retrying', 'succeeded', 'failed');
CREATE TYPE "Decision" AS ENUM ('allow', 'deny');

CREATE TABLE "users" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "is_platform_operator" BOOLEAN NOT NULL DEFAULT false,
    "session_epoch" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

CREATE TABLE "organizations" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "organizations_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "organizations_slug_key" ON "organizations"("slug");

CREATE TABLE "memberships" (
    "org_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "role" "MemberRole" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "memberships_pkey" PRIMARY KEY ("org_id","user_id")
);
CREATE INDEX "memberships_user_id_idx" ON "memberships"("user_id");

CREATE TABLE "realms" (
    "id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "category_low" INTEGER NOT NULL,
    "category_high" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "realms_pkey" PRIMARY KEY ("id"),
    -- sVirt: always a pair cA,cB with A < B; a single category would be dominated by every pair
    -- containing it.
    CONSTRAINT "realms_category_pair_check" CHECK ("category_low" >= 0 AND "category_low" < "category_high")
);
CREATE UNIQUE INDEX "realms_org_id_key" ON "realms"("org_id");
CREATE UNIQUE INDEX "realms_category_low_category_high_key" ON "realms"("category_low", "category_high");

CREATE TABLE "hosts" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "agent_url" TEXT NOT NULL,
    "status" "HostStatus" NOT NULL DEFAULT 'unreachable',
    "vcpus" INTEGER NOT NULL,
    "memory_mb" INTEGER NOT NULL,
    "last_seen_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "hosts_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "hosts_name_key" ON "hosts"("name");

CREATE TABLE "templates" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "vcpus" INTEGER NOT NULL,
    "memory_mb" INTEGER NOT NULL,
    "disk_gb" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "templates_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "templates_name_key" ON "templates"("name");

CREATE TABLE "vms" (
    "realm_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "VmKind" NOT NULL DEFAULT 'guest',
    "template_id" UUID,
    "vcpus" INTEGER NOT NULL,
    "memory_mb" INTEGER NOT NULL,
    "host_id" UUID,
    "domid" INTEGER,
    "desired_state" "VmState" NOT NULL DEFAULT 'stopped',
    "observed_state" "VmState" NOT NULL DEFAULT 'creating',
    "state_reason" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "vms_pkey" PRIMARY KEY ("realm_id","id"),
    CONSTRAINT "vms_sizes_check" CHECK ("vcpus" > 0 AND "memory_mb" > 0)
);
CREATE UNIQUE INDEX "vms_id_key" ON "vms"("id");
CREATE UNIQUE INDEX "vms_realm_id_name_key" ON "vms"("realm_id", "name");
CREATE INDEX "vms_host_id_idx" ON "vms"("host_id");
-- At most one management VM per realm.
CREATE UNIQUE INDEX "vms_one_management_per_realm" ON "vms"("realm_id") WHERE "kind" = 'management';

CREATE TABLE "operations" (
    "realm_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "vm_id" UUID NOT NULL,
    "action" TEXT NOT NULL,
    "status" "OperationStatus" NOT NULL DEFAULT 'pending',
    "requested_by_id" UUID,
    "request_id" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "max_attempts" INTEGER NOT NULL DEFAULT 5,
    "last_error" TEXT,
    "result" JSONB,
    "claimed_by" TEXT,
    "lease_until" TIMESTAMPTZ(3),
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deadline_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    CONSTRAINT "operations_pkey" PRIMARY KEY ("realm_id","id")
);
CREATE UNIQUE INDEX "operations_id_key" ON "operations"("id");
CREATE INDEX "operations_status_next_attempt_at_idx" ON "operations"("status", "next_attempt_at");
CREATE INDEX "operations_realm_id_vm_id_created_at_idx" ON "operations"("realm_id", "vm_id", "created_at");
-- One operation in flight per VM, guaranteed by the database even if two requests race.
CREATE UNIQUE INDEX "operations_one_open_per_vm" ON "operations"("realm_id", "vm_id") WHERE "status" IN ('pending', 'running', 'retrying');

CREATE TABLE "audit_events" (
    "id" BIGSERIAL NOT NULL,
    "realm_id" UUID,
    "actor_id" UUID,
    "action" TEXT NOT NULL,
    "target_type" TEXT NOT NULL,
    "target_id" TEXT,
    "decision" "Decision" NOT NULL,
    "layer" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "request_id" TEXT NOT NULL,
    "details" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "audit_events_realm_id_created_at_idx" ON "audit_events"("realm_id", "created_at");
CREATE INDEX "audit_events_decision_created_at_idx" ON "audit_events"("decision", "created_at");

ALTER TABLE "memberships" ADD CONSTRAINT "memberships_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "realms" ADD CONSTRAINT "realms_org_id_fkey" FOREIGN KEY ("org_id") REFERENCES "organizations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "vms" ADD CONSTRAINT "vms_realm_id_fkey" FOREIGN KEY ("realm_id") REFERENCES "realms"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "vms" ADD CONSTRAINT "vms_template_id_fkey" FOREIGN KEY ("template_id") REFERENCES "templates"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "vms" ADD CONSTRAINT "vms_host_id_fkey" FOREIGN KEY ("host_id") REFERENCES "hosts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "operations" ADD CONSTRAINT "operations_realm_id_fkey" FOREIGN KEY ("realm_id") REFERENCES "realms"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "operations" ADD CONSTRAINT "operations_realm_id_vm_id_fkey" FOREIGN KEY ("realm_id", "vm_id") REFERENCES "vms"("realm_id", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- A realm's identity and category never change once created: every label in the fleet derives
-- from them, and a silent relabel would move a realm's VMs across the boundary. Tenant rows
-- never move between realms either.
CREATE FUNCTION "realmgate_forbid_realm_identity_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW."id" IS DISTINCT FROM OLD."id"
       OR NEW."category_low" IS DISTINCT FROM OLD."category_low"
       OR NEW."category_high" IS DISTINCT FROM OLD."category_high"
       OR NEW."org_id" IS DISTINCT FROM OLD."org_id" THEN
        RAISE EXCEPTION 'realm id, organization and category are immutable'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER "realms_identity_immutable" BEFORE UPDATE ON "realms"
    FOR EACH ROW EXECUTE FUNCTION "realmgate_forbid_realm_identity_change"();

CREATE FUNCTION "realmgate_forbid_realm_move"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW."realm_id" IS DISTINCT FROM OLD."realm_id" OR NEW."id" IS DISTINCT FROM OLD."id" THEN
        RAISE EXCEPTION '% rows never change realm or id', TG_TABLE_NAME
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER "vms_realm_immutable" BEFORE UPDATE ON "vms"
    FOR EACH ROW EXECUTE FUNCTION "realmgate_forbid_realm_move"();
CREATE TRIGGER "operations_realm_immutable" BEFORE UPDATE ON "operations"
    FOR EACH ROW EXECUTE FUNCTION "realmgate_forbid_realm_move"();

-- The audit trail is append-only for everyone, the application included.
CREATE FUNCTION "realmgate_forbid_audit_change"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER "audit_events_append_only" BEFORE UPDATE OR DELETE ON "audit_events"
    FOR EACH ROW EXECUTE FUNCTION "realmgate_forbid_audit_change"();
