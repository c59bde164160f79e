import { defineConfig } from "prisma/config";

// The CLI is used only for `prisma generate` (offline); migrations are applied by
// server/db/migrate.ts, which records them in _prisma_migrations exactly as Prisma does.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost/realmgate" },
});
