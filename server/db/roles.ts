import pg from "pg";

/**
 * The database roles, none of them a superuser:
 * - owner (realmgate_owner): owns the schema; runs migrations. Used by the launcher only.
 * - tenant (realmgate_app): the web tier's procedures. Row-level security applies; the realm a
 *   transaction sees is bound by a signed value (db/client.ts withRealm); not a member of any
 *   role that bypasses row-level security.
 * - platform (realmgate_platform, BYPASSRLS): the worker, operator views, sign-in, realm
 *   creation. Code that uses it for tenant tables is named unsafe….
 *
 * On the embedded server (and on any server whose DATABASE_URL is a superuser) the launcher
 * creates them with passwords kept in the data directory's secrets. Otherwise an administrator
 * creates them (README, "Running on your own PostgreSQL") and passes their URLs.
 */

export const ROLES = { owner: "realmgate_owner", tenant: "realmgate_app", platform: "realmgate_platform" } as const;

export type DatabaseUrls = { owner: string; tenant: string; platform: string };
export type RolePasswords = { owner: string; tenant: string; platform: string };

export class DatabaseRoleError extends Error {
  override name = "DatabaseRoleError";
}

/** The same server and database as `url`, as another user. */
export function urlAs(url: string, user: string, password: string, database?: string): string {
  const parsed = new URL(url);
  parsed.username = encodeURIComponent(user);
  parsed.password = encodeURIComponent(password);
  if (database) parsed.pathname = `/${database}`;
  return parsed.toString();
}

export function databaseOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, "")) || "postgres";
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Whether the URL's user may create the roles itself (a superuser). */
export async function isSuperuser(url: string): Promise<boolean> {
  return withClient(url, async (c) => (await c.query<{ s: boolean }>("SELECT rolsuper AS s FROM pg_roles WHERE rolname = current_user")).rows[0]?.s === true);
}

/**
 * Creates (or updates) the three LOGIN roles with the given passwords, and the database owned
 * by the owner role; adopts objects an earlier version created as the superuser. Needs a
 * superuser URL; idempotent. Returns the three roles' URLs for `database`.
 */
export async function bootstrapRoles(adminUrl: string, database: string, passwords: RolePasswords): Promise<DatabaseUrls> {
  const admin = new URL(adminUrl);
  const adminAs = (db: string) => urlAs(adminUrl, decodeURIComponent(admin.username), decodeURIComponent(admin.password), db);
  await withClient(adminAs("postgres"), async (c) => {
    const attributes = {
      [ROLES.owner]: "NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOREPLICATION",
      [ROLES.tenant]: "NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOREPLICATION",
      [ROLES.platform]: "NOSUPERUSER NOCREATEDB NOCREATEROLE BYPASSRLS NOREPLICATION",
    };
    const password = { [ROLES.owner]: passwords.owner, [ROLES.tenant]: passwords.tenant, [ROLES.platform]: passwords.platform };
    // Serialised: two test runs or launchers on one server must not race on CREATE ROLE.
    await c.query("SELECT pg_advisory_lock(72707369003)");
    try {
      for (const role of Object.values(ROLES)) {
        const exists = (await c.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [role])).rowCount;
        await c.query(`${exists ? "ALTER" : "CREATE"} ROLE ${ident(role)} LOGIN ${attributes[role]} PASSWORD ${literal(password[role])}`);
      }
      // The tenant role is a member of nothing (no SET ROLE to a role that bypasses security).
      const { rows } = await c.query<{ role: string }>(
        "SELECT r.rolname AS role FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = $1",
        [ROLES.tenant],
      );
      for (const { role } of rows) await c.query(`REVOKE ${ident(role)} FROM ${ident(ROLES.tenant)} CASCADE`);
      // The first migration grants both roles to the user running it (the owner).
      await c.query(`GRANT ${ident(ROLES.tenant)}, ${ident(ROLES.platform)} TO ${ident(ROLES.owner)} WITH ADMIN OPTION`);
      const db = await c.query<{ owner: string }>("SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1", [database]);
      if (!db.rowCount) await c.query(`CREATE DATABASE ${ident(database)} OWNER ${ident(ROLES.owner)}`);
      else if (db.rows[0]!.owner !== ROLES.owner) await c.query(`ALTER DATABASE ${ident(database)} OWNER TO ${ident(ROLES.owner)}`);
    } finally {
      await c.query("SELECT pg_advisory_unlock(72707369003)");
    }
  });
  await withClient(adminAs(database), adoptObjects);
  return {
    owner: urlAs(adminUrl, ROLES.owner, passwords.owner, database),
    tenant: urlAs(adminUrl, ROLES.tenant, passwords.tenant, database),
    platform: urlAs(adminUrl, ROLES.platform, passwords.platform, database),
  };
}

/**
 * Versions before the roles existed created everything as the superuser: hand tables, views,
 * free-standing sequences, functions, types and schemas to the owner so that migrations (run
 * as the owner) can change them. Extension members stay with their extension.
 */
async function adoptObjects(c: pg.Client): Promise<void> {
  await c.query(`
DO $$
DECLARE
    r RECORD;
    owner_oid OID := (SELECT oid FROM pg_roles WHERE rolname = '${ROLES.owner}');
    schemas OID[] := ARRAY(SELECT oid FROM pg_namespace WHERE nspname IN ('public', 'realmgate_private'));
BEGIN
    FOR r IN SELECT n.nspname FROM pg_namespace n WHERE n.oid = ANY(schemas) AND n.nspname <> 'public' AND n.nspowner <> owner_oid LOOP
        EXECUTE format('ALTER SCHEMA %I OWNER TO ${ROLES.owner}', r.nspname);
    END LOOP;
    FOR r IN
        SELECT c.oid::regclass AS name, c.relkind FROM pg_class c
        WHERE c.relnamespace = ANY(schemas) AND c.relowner <> owner_oid AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i', 'e'))
    LOOP
        EXECUTE format('ALTER %s %s OWNER TO ${ROLES.owner}',
            CASE r.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END, r.name);
    END LOOP;
    FOR r IN
        SELECT p.oid::regprocedure AS name FROM pg_proc p
        WHERE p.pronamespace = ANY(schemas) AND p.proowner <> owner_oid
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
    LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO ${ROLES.owner}', r.name);
    END LOOP;
    FOR r IN
        SELECT t.oid::regtype AS name FROM pg_type t
        WHERE t.typnamespace = ANY(schemas) AND t.typowner <> owner_oid AND t.typtype IN ('e', 'd', 'c') AND t.typrelid = 0
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
    LOOP
        EXECUTE format('ALTER TYPE %s OWNER TO ${ROLES.owner}', r.name);
    END LOOP;
END
$$`);
}

/**
 * Refuses to start on roles that would let the web tier escape row-level security: the tenant
 * role must not be a superuser, bypass row-level security, or be able to become (SET ROLE) a
 * role that does; the platform role must not be a superuser.
 */
export async function assertSafeRoles(urls: Pick<DatabaseUrls, "tenant" | "platform">): Promise<void> {
  const tenant = await withClient(urls.tenant, (c) =>
    c.query<{ name: string; super: boolean; bypass: boolean; owns: boolean; escalates: string | null }>(`
      WITH powerful AS (
        SELECT o.oid, o.rolname FROM pg_roles o
        WHERE o.rolsuper OR o.rolbypassrls
           OR o.oid = (SELECT datdba FROM pg_database WHERE datname = current_database())
           OR EXISTS (SELECT 1 FROM pg_class c WHERE c.relowner = o.oid AND c.relnamespace = 'public'::regnamespace))
      SELECT r.rolname AS name, r.rolsuper AS super, r.rolbypassrls AS bypass,
             r.oid IN (SELECT oid FROM powerful) AS owns,
             (SELECT string_agg(p.rolname, ', ') FROM powerful p WHERE p.oid <> r.oid AND pg_has_role(r.oid, p.oid, 'MEMBER')) AS escalates
      FROM pg_roles r WHERE r.rolname = current_user`),
  );
  const t = tenant.rows[0]!;
  if (t.super || t.bypass || t.owns || t.escalates) {
    throw new DatabaseRoleError(
      `the tenant database connection logs in as ${t.name}, which ` +
        (t.super ? "is a superuser" : t.bypass ? "has BYPASSRLS" : t.owns ? "owns the database or its tables" : `can SET ROLE to ${t.escalates}`) +
        `: row-level security would not bind it. Use a role without those rights (README: "Database roles").`,
    );
  }
  const platform = await withClient(urls.platform, (c) => c.query<{ name: string; super: boolean }>("SELECT rolname AS name, rolsuper AS super FROM pg_roles WHERE rolname = current_user"));
  if (platform.rows[0]!.super) {
    throw new DatabaseRoleError(`the platform database connection logs in as ${platform.rows[0]!.name}, a superuser; use a role with BYPASSRLS instead (README: "Database roles").`);
  }
  if (databaseOf(urls.tenant) !== databaseOf(urls.platform)) {
    throw new DatabaseRoleError(`the tenant and platform URLs name different databases (${databaseOf(urls.tenant)}, ${databaseOf(urls.platform)})`);
  }
}
