import { createHash } from "node:crypto";
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { emptyDatabase } from "../test/db";
import { MIGRATIONS_DIR, migrate, readMigrations } from "./migrate";

/** The runner must leave _prisma_migrations exactly as `prisma migrate deploy` would. */

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function fresh() {
  const database = await emptyDatabase();
  cleanups.push(database.drop);
  return database.url;
}

async function rows(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(`SELECT * FROM "_prisma_migrations" ORDER BY started_at, migration_name`)).rows;
  } finally {
    await client.end();
  }
}

function migrationsDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "realmgate-migrations-"));
  for (const [name, sql] of Object.entries(files)) {
    mkdirSync(path.join(dir, name));
    writeFileSync(path.join(dir, name, "migration.sql"), sql);
  }
  return dir;
}

describe("migration runner", () => {
  it("records every migration as Prisma does: sha256 checksum, finished, one step", async () => {
    const url = await fresh();
    const result = await migrate(url);
    const files = await readMigrations();
    expect(result.applied).toEqual(files.map((f) => f.name));
    const recorded = await rows(url);
    expect(recorded).toHaveLength(files.length);
    for (const [i, file] of files.entries()) {
      const sha = createHash("sha256").update(readFileSync(path.join(MIGRATIONS_DIR, file.name, "migration.sql"))).digest("hex");
      expect(recorded[i]).toMatchObject({
        migration_name: file.name,
        checksum: sha,
        applied_steps_count: 1,
        rolled_back_at: null,
        logs: null,
      });
      expect(recorded[i].id).toMatch(/^[0-9a-f-]{36}$/);
      expect(recorded[i].finished_at).toBeInstanceOf(Date);
    }
  });

  it("applies nothing the second time", async () => {
    const url = await fresh();
    await migrate(url);
    expect(await migrate(url)).toMatchObject({ applied: [] });
    expect(await rows(url)).toHaveLength((await readMigrations()).length);
  });

  it("leaves a failed migration unfinished, rolls its SQL back, and blocks later runs", async () => {
    const url = await fresh();
    const dir = migrationsDir({
      "20260101000000_ok": "CREATE TABLE a (id int);",
      "20260102000000_broken": "CREATE TABLE b (id int); SELECT no_such_function();",
    });
    await expect(migrate(url, dir)).rejects.toThrow(/20260102000000_broken failed: .*no_such_function/);
    const recorded = await rows(url);
    expect(recorded.map((r) => [r.migration_name, r.finished_at === null])).toEqual([
      ["20260101000000_ok", false],
      ["20260102000000_broken", true],
    ]);
    expect(recorded[1].logs).toMatch(/no_such_function/);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rowCount } = await client.query(`SELECT 1 FROM pg_tables WHERE tablename = 'b'`);
    await client.end();
    expect(rowCount).toBe(0);
    await expect(migrate(url, dir)).rejects.toThrow(/20260102000000_broken failed earlier and blocks the rest/);
  });

  it("refuses a migration that was edited after it was applied", async () => {
    const url = await fresh();
    const dir = migrationsDir({ "20260101000000_ok": "CREATE TABLE a (id int);" });
    await migrate(url, dir);
    writeFileSync(path.join(dir, "20260101000000_ok", "migration.sql"), "CREATE TABLE a (id bigint);");
    await expect(migrate(url, dir)).rejects.toThrow(/was modified after it was applied/);
  });

  it("serialises concurrent runners: each migration is applied once", async () => {
    const url = await fresh();
    const results = await Promise.all([migrate(url), migrate(url), migrate(url)]);
    expect(results.flatMap((r) => r.applied)).toHaveLength((await readMigrations()).length);
  });
});
