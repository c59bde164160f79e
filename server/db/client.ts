import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../generated/prisma/client";

export type Db = PrismaClient;

/** One client (and pool) per process, created on first use from DATABASE_URL. */
const globalForDb = globalThis as unknown as { realmgateDb?: PrismaClient };

export function createDb(connectionString: string, poolSize = 10): PrismaClient {
  const adapter = new PrismaPg({ connectionString, max: poolSize });
  return new PrismaClient({ adapter });
}

export function db(): PrismaClient {
  if (!globalForDb.realmgateDb) {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set; start Realmgate with `npm start`");
    globalForDb.realmgateDb = createDb(url);
  }
  return globalForDb.realmgateDb;
}
