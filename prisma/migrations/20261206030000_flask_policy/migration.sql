-- Operator-managed FLASK policy (issue 15 part 2): versions, rollouts, what each host runs.
--
-- An operator uploads a policy (text policy.conf or checkpolicy's binary policy.30); it is
-- stored with its sha256 and the validation the engine ran on it (compiles; declares what the
-- realm model needs; passes the golden decisions; no realm loses access to its own VMs). A
-- rollout assigns it to one host first (the canary), then host by host; the worker pushes a
-- host's assigned version to its agent and records what the host reports (the sha256 of the
-- policy it runs). A host that reports another hash than the one assigned is a drift alarm.
--
-- Threat: a tenant reading or steering the hypervisor's policy. These are platform tables:
-- granted to realmgate_platform only (the web tier's operator procedures and the worker);
-- realmgate_app has no access at all.

CREATE TABLE "flask_policies" (
    "id" UUID NOT NULL,
    "version" INTEGER NOT NULL,
    "file_name" TEXT NOT NULL,
    -- text (policy.conf) or binary (policy.30)
    "format" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "size_bytes" INTEGER NOT NULL,
    "content" BYTEA NOT NULL,
    "is_valid" BOOLEAN NOT NULL,
    -- [{ name, ok, reasons[] }] (server/xen/policy-admin.ts validatePolicy)
    "validation" JSONB NOT NULL,
    -- Counts added/removed against the version it was compared with at upload (diff_base_id).
    "diff" JSONB,
    "diff_base_id" UUID,
    -- Built in: the repository's realm policy every host boots with (version 1).
    "is_builtin" BOOLEAN NOT NULL DEFAULT false,
    "uploaded_by" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "flask_policies_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "flask_policies_format_check" CHECK ("format" IN ('text', 'binary')),
    CONSTRAINT "flask_policies_sha256_check" CHECK ("sha256" ~ '^[0-9a-f]{64}$'),
    CONSTRAINT "flask_policies_size_check" CHECK ("size_bytes" > 0 AND "size_bytes" <= 262144 AND "size_bytes" = octet_length("content"))
);
CREATE UNIQUE INDEX "flask_policies_version_key" ON "flask_policies"("version");
ALTER TABLE "flask_policies" ADD CONSTRAINT "flask_policies_diff_base_id_fkey" FOREIGN KEY ("diff_base_id") REFERENCES "flask_policies"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "flask_rollouts" (
    "id" UUID NOT NULL,
    "policy_id" UUID NOT NULL,
    -- What the fleet ran before: a rollback assigns it again.
    "previous_policy_id" UUID NOT NULL,
    -- rollout or rollback
    "kind" TEXT NOT NULL,
    -- manual (the operator continues host by host) or automatic (the next host once one loaded; stops on a failure)
    "mode" TEXT NOT NULL,
    -- canary, rolling, complete, stopped (a host refused it), superseded (a later rollout or a rollback)
    "status" TEXT NOT NULL,
    "canary_host_id" UUID,
    -- Counts added/removed from the previous version to this one (types, classes, rules, permissions, booleans).
    "diff" JSONB,
    "started_by" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "flask_rollouts_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "flask_rollouts_kind_check" CHECK ("kind" IN ('rollout', 'rollback')),
    CONSTRAINT "flask_rollouts_mode_check" CHECK ("mode" IN ('manual', 'automatic')),
    CONSTRAINT "flask_rollouts_status_check" CHECK ("status" IN ('canary', 'rolling', 'complete', 'stopped', 'superseded'))
);
CREATE INDEX "flask_rollouts_created_at_idx" ON "flask_rollouts"("created_at");
ALTER TABLE "flask_rollouts" ADD CONSTRAINT "flask_rollouts_policy_id_fkey" FOREIGN KEY ("policy_id") REFERENCES "flask_policies"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "flask_rollouts" ADD CONSTRAINT "flask_rollouts_previous_policy_id_fkey" FOREIGN KEY ("previous_policy_id") REFERENCES "flask_policies"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "flask_rollouts" ADD CONSTRAINT "flask_rollouts_canary_host_id_fkey" FOREIGN KEY ("canary_host_id") REFERENCES "hosts"("id") ON DELETE SET NULL ON UPDATE CASCADE;

CREATE TABLE "host_flask_policies" (
    "host_id" UUID NOT NULL,
    -- The version assigned to the host (by a rollout's step or a rollback).
    "policy_id" UUID NOT NULL,
    "rollout_id" UUID,
    -- pending (the worker is to load it), loaded, failed (the host refused it: load_error)
    "load_state" TEXT NOT NULL,
    "load_error" TEXT,
    -- The host's decisions old vs new when it loaded the version ({ compared, differing, differences[] }).
    "comparison" JSONB,
    -- What the host reports running (agent status), and its booleans.
    "reported_sha256" TEXT,
    "reported_booleans" JSONB,
    "reported_at" TIMESTAMPTZ(3),
    -- Since when the host runs another policy than the one assigned (the alarm); null: none.
    "drift_since" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "host_flask_policies_pkey" PRIMARY KEY ("host_id"),
    CONSTRAINT "host_flask_policies_load_state_check" CHECK ("load_state" IN ('pending', 'loaded', 'failed'))
);
ALTER TABLE "host_flask_policies" ADD CONSTRAINT "host_flask_policies_host_id_fkey" FOREIGN KEY ("host_id") REFERENCES "hosts"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "host_flask_policies" ADD CONSTRAINT "host_flask_policies_policy_id_fkey" FOREIGN KEY ("policy_id") REFERENCES "flask_policies"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "host_flask_policies" ADD CONSTRAINT "host_flask_policies_rollout_id_fkey" FOREIGN KEY ("rollout_id") REFERENCES "flask_rollouts"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- A boolean an operator set on a host (xl setbool): pending until the worker applied it.
CREATE TABLE "host_flask_booleans" (
    "host_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "value" BOOLEAN NOT NULL,
    -- pending, applied, failed (error)
    "state" TEXT NOT NULL,
    "error" TEXT,
    "requested_by" UUID,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "host_flask_booleans_pkey" PRIMARY KEY ("host_id", "name"),
    CONSTRAINT "host_flask_booleans_state_check" CHECK ("state" IN ('pending', 'applied', 'failed'))
);
ALTER TABLE "host_flask_booleans" ADD CONSTRAINT "host_flask_booleans_host_id_fkey" FOREIGN KEY ("host_id") REFERENCES "hosts"("id") ON DELETE CASCADE ON UPDATE CASCADE;

REVOKE ALL ON "flask_policies", "flask_rollouts", "host_flask_policies", "host_flask_booleans" FROM PUBLIC;
GRANT SELECT, INSERT ON "flask_policies" TO realmgate_platform;
GRANT SELECT, INSERT, UPDATE ON "flask_rollouts", "host_flask_policies", "host_flask_booleans" TO realmgate_platform;
