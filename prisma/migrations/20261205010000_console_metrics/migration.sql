-- Serial console and metrics (issue 14).
--
-- Console: the web tier never calls an agent. A member's browser opens a console session (a row
-- here) and sends its keystrokes as input rows; the worker, woken by NOTIFY, relays them to the
-- VM's host agent over its signed client and writes the guest's output back as output rows, then
-- notifies the realm's channel; the browser's live-update stream reads them. Storage is bounded:
-- input is deleted once delivered, output keeps the newest rows of each session, closed sessions
-- go an hour after they closed (their rows with them), and an idle session is closed.
--
-- Metrics: the worker samples each host's agent (all its domains in one request) and keeps the
-- samples for a few hours; rates are computed from counter deltas at read time.
--
-- Threat: one realm reading another realm's console output, typing into its console or reading
-- its metrics. All three are tenant tables: the realm id is in the key, row-level security fails
-- closed, and every row names a VM of its own realm (composite foreign keys). The tenant role may
-- only read samples (the worker writes them) and may not change the relay's bookkeeping columns.

CREATE TABLE "console_sessions" (
    "realm_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "vm_id" UUID NOT NULL,
    "opened_by_id" UUID,
    -- opening (the worker has not reached the agent yet), open, closed.
    "status" TEXT NOT NULL DEFAULT 'opening',
    -- The offset of the guest's console ring the relay has read up to (the agent's, per domain).
    "output_offset" BIGINT NOT NULL DEFAULT 0,
    -- A worker relaying this session holds it until then (several workers share the relay).
    "relay_until" TIMESTAMPTZ(3),
    "close_reason" TEXT,
    "opened_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    -- The browser's last sign of life (a stream open, input, a read); idle sessions are closed.
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "closed_at" TIMESTAMPTZ(3),

    CONSTRAINT "console_sessions_pkey" PRIMARY KEY ("realm_id", "id"),
    CONSTRAINT "console_sessions_status_check" CHECK ("status" IN ('opening', 'open', 'closed')),
    CONSTRAINT "console_sessions_closed_check" CHECK (("status" = 'closed') = ("closed_at" IS NOT NULL))
);
CREATE UNIQUE INDEX "console_sessions_id_key" ON "console_sessions"("id");
CREATE INDEX "console_sessions_realm_id_vm_id_idx" ON "console_sessions"("realm_id", "vm_id");
CREATE INDEX "console_sessions_status_last_seen_at_idx" ON "console_sessions"("status", "last_seen_at");
ALTER TABLE "console_sessions" ADD CONSTRAINT "console_sessions_realm_id_fkey" FOREIGN KEY ("realm_id") REFERENCES "realms"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "console_sessions" ADD CONSTRAINT "console_sessions_realm_id_vm_id_fkey" FOREIGN KEY ("realm_id", "vm_id") REFERENCES "vms"("realm_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "console_io" (
    "realm_id" UUID NOT NULL,
    "id" BIGSERIAL NOT NULL,
    "session_id" UUID NOT NULL,
    -- in: keystrokes from the browser; out: what the guest printed.
    "direction" TEXT NOT NULL,
    "data" TEXT NOT NULL,
    -- Input only: when the relay handed it to the agent.
    "delivered_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "console_io_pkey" PRIMARY KEY ("realm_id", "id"),
    CONSTRAINT "console_io_direction_check" CHECK ("direction" IN ('in', 'out')),
    CONSTRAINT "console_io_size_check" CHECK (octet_length("data") <= 65536)
);
CREATE INDEX "console_io_realm_id_session_id_id_idx" ON "console_io"("realm_id", "session_id", "id");
-- The relay's queue: input not yet delivered.
CREATE INDEX "console_io_pending_idx" ON "console_io"("realm_id", "session_id", "id") WHERE "direction" = 'in' AND "delivered_at" IS NULL;
ALTER TABLE "console_io" ADD CONSTRAINT "console_io_realm_id_session_id_fkey" FOREIGN KEY ("realm_id", "session_id") REFERENCES "console_sessions"("realm_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "vm_metric_samples" (
    "realm_id" UUID NOT NULL,
    "vm_id" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    -- The agent's meter epoch: counters restart from zero under a new one.
    "epoch" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "vcpus" INTEGER NOT NULL,
    "cpu_ns" BIGINT NOT NULL,
    "memory_kb" BIGINT NOT NULL,
    "memory_max_kb" BIGINT NOT NULL,
    "disk_read_bytes" BIGINT NOT NULL,
    "disk_write_bytes" BIGINT NOT NULL,
    "disk_read_ops" BIGINT NOT NULL,
    "disk_write_ops" BIGINT NOT NULL,
    "net_rx_bytes" BIGINT NOT NULL,
    "net_tx_bytes" BIGINT NOT NULL,

    CONSTRAINT "vm_metric_samples_pkey" PRIMARY KEY ("realm_id", "vm_id", "at")
);
CREATE INDEX "vm_metric_samples_at_idx" ON "vm_metric_samples"("at");
-- The realm page's totals: the realm's latest samples.
CREATE INDEX "vm_metric_samples_realm_id_at_idx" ON "vm_metric_samples"("realm_id", "at");
ALTER TABLE "vm_metric_samples" ADD CONSTRAINT "vm_metric_samples_realm_id_vm_id_fkey" FOREIGN KEY ("realm_id", "vm_id") REFERENCES "vms"("realm_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Privileges: the tenant role opens, touches and closes its sessions and writes input; the
-- platform role (the worker) relays, closes idle sessions and prunes.
REVOKE ALL ON "console_sessions", "console_io", "vm_metric_samples" FROM PUBLIC;
GRANT SELECT, INSERT ON "console_sessions" TO realmgate_app;
GRANT UPDATE ("status", "last_seen_at", "close_reason", "closed_at") ON "console_sessions" TO realmgate_app;
GRANT SELECT, INSERT ON "console_io" TO realmgate_app;
GRANT USAGE ON SEQUENCE "console_io_id_seq" TO realmgate_app, realmgate_platform;
GRANT SELECT ON "vm_metric_samples" TO realmgate_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON "console_sessions", "console_io" TO realmgate_platform;
GRANT SELECT, INSERT, DELETE ON "vm_metric_samples" TO realmgate_platform;

ALTER TABLE "console_sessions" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "console_sessions" FORCE ROW LEVEL SECURITY;
CREATE POLICY "realm_isolation" ON "console_sessions" USING ("realm_id" = (SELECT realmgate_current_realm())) WITH CHECK ("realm_id" = (SELECT realmgate_current_realm()));
ALTER TABLE "console_io" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "console_io" FORCE ROW LEVEL SECURITY;
CREATE POLICY "realm_isolation" ON "console_io" USING ("realm_id" = (SELECT realmgate_current_realm())) WITH CHECK ("realm_id" = (SELECT realmgate_current_realm()));
ALTER TABLE "vm_metric_samples" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "vm_metric_samples" FORCE ROW LEVEL SECURITY;
CREATE POLICY "realm_isolation" ON "vm_metric_samples" USING ("realm_id" = (SELECT realmgate_current_realm())) WITH CHECK ("realm_id" = (SELECT realmgate_current_realm()));
