-- The operators' activity plots (issue 13): denials, policy-drift alarms and operations per time
-- bucket over a window (an hour to a week). Each reads one time range of one kind of row: these
-- indexes make that a range scan of the window alone, at any size of the trail.
CREATE INDEX "audit_events_denials_time_idx" ON "audit_events"("created_at") WHERE "decision" = 'deny';
CREATE INDEX "audit_events_alarms_time_idx" ON "audit_events"("created_at") WHERE "action" LIKE 'alarm.%';
CREATE INDEX "operations_created_at_idx" ON "operations"("created_at");
