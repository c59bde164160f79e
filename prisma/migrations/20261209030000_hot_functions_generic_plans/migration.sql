-- Issue 12: the functions every realm transaction runs use cached generic plans. Each connection
-- plans every statement afresh (plan_cache_mode=force_custom_plan, server/db/client.ts: a plan
-- cached for a small realm's values can be far slower for a large realm's), and that applies to
-- the statements inside PL/pgSQL and SQL functions too: the identity assertion's five-table join
-- was planned again in every transaction, and the realm binding's check (an HMAC over a key
-- row) in every statement that touches a tenant table, several times per statement. Their
-- statements look rows up by key only, so one generic plan per connection serves every realm.
ALTER FUNCTION "realmgate_assert_member_access"(uuid, uuid, integer, text, boolean) SET plan_cache_mode = force_generic_plan;
ALTER FUNCTION "realmgate_current_realm"() SET plan_cache_mode = force_generic_plan;
ALTER FUNCTION "realmgate_private"."hmac_hex"(TEXT) SET plan_cache_mode = force_generic_plan;

