import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient, type Prisma } from "../generated/prisma/client";

/** A client with its own pool (the tenant or platform role). */
export type Db = PrismaClient;
/** What a repository query runs on: a client, or a transaction of one. */
export type Tx = Prisma.TransactionClient;

/**
 * Two database roles (see the realm_rls migration):
 * - tenant (realmgate_app): row-level security applies; sees a realm's rows only inside a
 *   transaction that set the realm (withRealm), nothing otherwise.
 * - platform (realmgate_platform, BYPASSRLS): the worker, operator views, sign-in and realm
 *   creation. Code that uses it for tenant tables is named unsafe….
 * One client (and pool) of each per process, created on first use from DATABASE_URL.
 */
export type DbRole = "realmgate_app" | "realmgate_platform";

export function createDb(connectionString: string, options: { poolSize?: number; role?: DbRole } = {}): PrismaClient {
  const adapter = new PrismaPg({
    connectionString,
    max: options.poolSize ?? 10,
    ...(options.role ? { options: `-c role=${options.role}` } : {}),
  });
  return new PrismaClient({ adapter });
}

const globalForDb = globalThis as unknown as { realmgateDb?: Partial<Record<DbRole, PrismaClient>> };

function shared(role: DbRole): PrismaClient {
  const clients = (globalForDb.realmgateDb ??= {});
  const existing = clients[role];
  if (existing) return existing;
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set; start Realmgate with `npm start`");
  return (clients[role] = createDb(url, { role }));
}

/** The web tier's tenant client: row-level security applies. */
export const tenantDb = (): PrismaClient => shared("realmgate_app");

/** The platform client: bypasses row-level security. */
export const platformDb = (): PrismaClient => shared("realmgate_platform");

/**
 * Runs fn in a transaction bound to one realm: PostgreSQL's policies show and accept only
 * that realm's rows for its duration.
 */
export function withRealm<T>(db: PrismaClient, realmId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT set_config('realmgate.realm_id', ${realmId}, true)`;
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
