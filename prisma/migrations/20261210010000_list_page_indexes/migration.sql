-- Every list pages (issue 12). network.rules pages a realm's rules in (created_at, id) order from a
-- cursor (repositories/network-rules.ts listRules): with only the primary key (realm_id, id), each
-- page read every rule of the realm and sorted them to return 50 (20,000 rules: all 20,000 read
-- for every page). A realm's rules are not bounded by its quota, unlike its driver domains and
-- NDVM networks, whose pages keep sorting the realm's few rows.
CREATE INDEX "network_rules_realm_id_created_at_id_idx" ON "network_rules"("realm_id", "created_at", "id");
