import { createHmac } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient, type Prisma } from "../generated/prisma/client";

/** A client with its own pool (the tenant or platform role). */
export type Db = PrismaClient;
/** What a repository query runs on: a client, or a transaction of one. */
export type Tx = Prisma.TransactionClient;

/**
 * Two clients per process (see db/roles.ts for the roles):
 * - tenant (realmgate_app): row-level security applies; sees a realm's rows only inside a
 *   transaction bound to the realm (withRealm), nothing otherwise.
 * - platform (realmgate_platform, BYPASSRLS): the worker, operator views, sign-in and realm
 *   creation. Code that uses it for tenant tables is named unsafe….
 * Each logs in as its own role; the web tier creates them on first use from
 * REALMGATE_TENANT_DATABASE_URL and REALMGATE_PLATFORM_DATABASE_URL.
 */
export function createDb(connectionString: string, options: { poolSize?: number; keySource?: PrismaClient } = {}): PrismaClient {
  const adapter = new PrismaPg({ connectionString, max: options.poolSize ?? 10 });
  const client = new PrismaClient({ adapter });
  // The realm binding key is readable by the platform role only: a tenant client borrows it.
  keySources.set(client, options.keySource ?? client);
  connectionStrings.set(client, connectionString);
  return client;
}

const globalForUrls = globalThis as unknown as { realmgateConnectionStrings?: WeakMap<PrismaClient, string> };
const connectionStrings = (globalForUrls.realmgateConnectionStrings ??= new WeakMap());

/**
 * The URL a client logs in with, for a repository that must stream through a `pg` cursor of its
 * own (the audit verifier reads every chain row; Prisma decodes rows several times slower).
 */
export function connectionStringOf(db: PrismaClient): string {
  const url = connectionStrings.get(db);
  if (!url) throw new Error("this client was not made by createDb");
  return url;
}

export const TENANT_URL_ENV = "REALMGATE_TENANT_DATABASE_URL";
export const PLATFORM_URL_ENV = "REALMGATE_PLATFORM_DATABASE_URL";

/** The platform role's URL (LISTEN connections, the worker). */
export function platformDatabaseUrl(): string {
  const url = process.env[PLATFORM_URL_ENV];
  if (!url) throw new Error(`${PLATFORM_URL_ENV} is not set; start Realmgate with \`npm start\``);
  return url;
}

type Role = "tenant" | "platform";
const globalForDb = globalThis as unknown as { realmgateDb?: Partial<Record<Role, PrismaClient>> };

function shared(role: Role): PrismaClient {
  const clients = (globalForDb.realmgateDb ??= {});
  const existing = clients[role];
  if (existing) return existing;
  if (role === "platform") return (clients.platform = createDb(platformDatabaseUrl()));
  const url = process.env[TENANT_URL_ENV];
  if (!url) throw new Error(`${TENANT_URL_ENV} is not set; start Realmgate with \`npm start\``);
  return (clients.tenant = createDb(url, { keySource: shared("platform") }));
}

/** The web tier's tenant client: row-level security applies. */
export const tenantDb = (): PrismaClient => shared("tenant");

/** The platform client: bypasses row-level security. */
export const platformDb = (): PrismaClient => shared("platform");

// ---------------------------------------------------------------------------------------------
// Realm binding. Threat: SQL run as the tenant role choosing another realm. The realm a
// transaction sees is set as '<realm>.<expiry>.<HMAC-SHA256 of both>', and the database
// (realmgate_current_realm(), migration database_roles) accepts only a value signed with a key
// the tenant role cannot read.

// On globalThis, like the shared clients: Next loads this module once per bundle (pages, route
// handlers), and a client made by one copy must find its key source from any other.
const globalForKeys = globalThis as unknown as { realmgateKeySources?: WeakMap<PrismaClient, PrismaClient>; realmgateKeys?: WeakMap<PrismaClient, Promise<Buffer>> };
const keySources = (globalForKeys.realmgateKeySources ??= new WeakMap());
const keys = (globalForKeys.realmgateKeys ??= new WeakMap());
/** A binding is valid this long: longer than any transaction (their timeout is 20 s). */
const BINDING_TTL_S = 300;

function bindingKey(db: PrismaClient): Promise<Buffer> {
  const source = keySources.get(db) ?? db;
  let key = keys.get(source);
  if (!key) {
    key = source.$queryRaw<{ key: Uint8Array }[]>`SELECT "key" FROM "realmgate_private"."realm_binding_key"`.then((rows) => {
      if (!rows[0]) throw new Error("the realm binding key is missing (migration database_roles not applied?)");
      return Buffer.from(rows[0].key);
    });
    keys.set(source, key);
    key.catch(() => keys.delete(source));
  }
  return key;
}

/** The signed value that binds a transaction to a realm (exported for the tests that forge one). */
export function realmBinding(key: Buffer, realmId: string, now = Date.now()): string {
  const payload = `${realmId.toLowerCase()}.${Math.floor(now / 1000) + BINDING_TTL_S}`;
  return `${payload}.${createHmac("sha256", key).update(payload).digest("hex")}`;
}

/**
 * Runs fn in a transaction bound to one realm: PostgreSQL's policies show and accept only
 * that realm's rows for its duration.
 */
export async function withRealm<T>(db: PrismaClient, realmId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const binding = realmBinding(await bindingKey(db), realmId);
  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT set_config('realmgate.realm', ${binding}, true)`;
      return fn(tx);
    },
    { maxWait: 10_000, timeout: 20_000 },
  );
}

/**
 * Runs fn in one transaction of `db` (state and its audit record commit together or not at
 * all). On the platform client row-level security does not apply: callers are platform code.
 */
export function transaction<T>(db: PrismaClient, fn: (tx: Tx) => Promise<T>, options: { maxWait?: number; timeout?: number } = {}): Promise<T> {
  return db.$transaction(fn, { maxWait: options.maxWait ?? 10_000, timeout: options.timeout ?? 20_000 });
}
