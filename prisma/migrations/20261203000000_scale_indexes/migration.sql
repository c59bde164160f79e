-- Indexes for a fleet of 1,000,000 VMs across 10,000 realms (issue 12; bench/scale.bench.ts prints
-- the plans of the hot queries before and after). Each one turns a query whose cost grew with the
-- realm (or the fleet) into one whose cost follows the page it returns.

-- vm.list pages a realm's VMs in (kind, created_at, id) order from a cursor (repositories/vms.ts
-- listVmsInRealm): without an index in that order, every page read and sorted all the realm's VMs
-- (100,000 in the bench's big realm) to return 50.
CREATE INDEX "vms_realm_id_kind_created_at_id_idx" ON "vms"("realm_id", "kind", "created_at", "id");

-- The tenant's view of hosts (policy "realm_hosts": a host is visible when one of the realm's VMs
-- runs there) asks, per host, whether the realm has a VM on it. With host_id alone that probe
-- read every VM of the host, or every VM of the realm; with (host_id, realm_id) it is one index
-- lookup. Host-only lookups (the reconciler, placement) use the same index's first column.
DROP INDEX "vms_host_id_idx";
CREATE INDEX "vms_host_id_realm_id_idx" ON "vms"("host_id", "realm_id");

-- A realm's audit trail newest first (repositories/audit.ts listAuditPageForRealm, id order): with
-- (realm_id, created_at) only, a small realm's page walked the whole table's id index backwards.
CREATE INDEX "audit_events_realm_id_id_idx" ON "audit_events"("realm_id", "id");

-- Layer-disagreement alarms across realms (repositories/audit.ts unsafeListAlarms: action LIKE
-- 'alarm.%', newest first) are rare: without an index the operators' alarm list read the whole
-- trail (a parallel sequential scan of 500,000 events) to show none. A partial index holds only
-- the alarms (kept in SQL: Prisma's schema cannot express a partial index).
CREATE INDEX "audit_events_alarms_idx" ON "audit_events"("id") WHERE "action" LIKE 'alarm.%';

-- The operators' organization and realm lists page by (created_at, id) (repositories/realms.ts):
-- without these, each page joined and sorted all 10,000 organizations and realms.
CREATE INDEX "organizations_created_at_id_idx" ON "organizations"("created_at", "id");
CREATE INDEX "realms_created_at_id_idx" ON "realms"("created_at", "id");

-- A VM's disks (the list's and vm.get's relation, the attach/detach checks): disks point at their
-- VM by (realm_id, vm_id), which no index led with, so each VM's lookup read its realm's disks.
CREATE INDEX "disks_realm_id_vm_id_idx" ON "disks"("realm_id", "vm_id");

-- Every denial across realms, newest first (repositories/audit.ts unsafeListDenials orders by id;
-- nothing reads denials by created_at): (decision, id) gives the page directly, where the old
-- index could not give id order and the plan walked the whole trail's id index backwards.
DROP INDEX "audit_events_decision_created_at_idx";
CREATE INDEX "audit_events_decision_id_idx" ON "audit_events"("decision", "id");
