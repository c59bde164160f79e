-- The identity assertion every realm transaction runs first (member_access_check) reads one row
-- each of sessions, users, memberships, organizations and realms, by key. Owned by
-- realmgate_owner, it ran under those tables' row-level security (FORCE applies to their owner
-- too), and their policies are subqueries of their own: 36 buffers and about 190 µs per call,
-- five times the lookups themselves (issue 12). Owned by the platform role, which reads these
-- tables for sign-in already and bypasses row-level security, it reads just the five rows: 12
-- buffers, about 35 µs. What a tenant can learn through it is unchanged: whether the session id
-- it holds (from its own cookie) still has this access, one bit, or an error.
GRANT CREATE ON SCHEMA public TO realmgate_platform;
ALTER FUNCTION "realmgate_assert_member_access"(uuid, uuid, integer, text, boolean) OWNER TO realmgate_platform;
REVOKE CREATE ON SCHEMA public FROM realmgate_platform;
