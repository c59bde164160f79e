-- The worker's claim (repositories/operations.ts readyOperations) takes the oldest open operations
-- (pending or retrying and due, or running with an expired lease). It read them through a bitmap
-- scan of two indexes, "operations_one_open_per_vm" and ("status", "next_attempt_at"), sorted
-- them by "created_at", and locked eight. A bitmap scan cannot mark the index entries of settled
-- operations as dead, so between two vacuums of "operations" each claim stepped over every
-- operation settled since the last one: 60 to 280 buffers per claim in the lifecycle bench, the
-- claim a sixth of PostgreSQL's statement time. As a generic plan (the worker keeps them) it could
-- also walk "operations_created_at_idx", every operation ever made, oldest first: 5,582 buffers
-- for a claim that found nothing, 4,000 operations in.
--
-- This index holds only the open operations, in the claim's order: an index scan reads the oldest
-- first and stops at the eighth, and it marks the entries of operations settled meanwhile as dead
-- as it passes them, so the next claim skips them without a visit to the table. A settled
-- operation's new row version is not in the index at all.
CREATE INDEX "operations_open_created_at_idx" ON "operations" ("created_at") WHERE "status" IN ('pending', 'retrying', 'running');

-- ("status", "next_attempt_at") served only the claim. Every claim and every settle is an update
-- of "status" that writes an entry in each of the table's indexes: one index fewer is three index
-- entries fewer per operation.
DROP INDEX "operations_status_next_attempt_at_idx";
