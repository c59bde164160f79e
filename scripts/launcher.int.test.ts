import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { describe, expect, inject, it } from "vitest";
import { createTestDatabase } from "../server/test/db";
import { freePort, freePortPair } from "../server/test/processes";

/** `npm start` refuses to start on a busy port or a foreign data directory, saying what to do. */

const ROOT = path.resolve(import.meta.dirname, "..");

function launch(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts/realmgate.ts"), "start"], {
      env: { ...process.env, DATABASE_URL: "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    child.on("exit", (code) => resolve({ code, output }));
  });
}

async function ports() {
  return { web: await freePort(), pg: await freePort(), agent: await freePortPair() };
}

describe("launcher start-up errors", () => {
  it("names a busy port and the variable that moves it", async () => {
    const p = await ports();
    const blocker = net.createServer().listen(p.web, "127.0.0.1");
    try {
      const dataDir = mkdtempSync(path.join(os.tmpdir(), "realmgate-launch-"));
      const { code, output } = await launch({ PORT: String(p.web), REALMGATE_PG_PORT: String(p.pg), REALMGATE_AGENT_BASE_PORT: String(p.agent), REALMGATE_DATA_DIR: dataDir });
      expect(code).toBe(1);
      expect(output).toContain(`port ${p.web} (web server) is already in use`);
      expect(output).toContain("PORT=<port>");
      expect(output).not.toMatch(/\n\s+at /); // no stack trace
    } finally {
      blocker.close();
    }
  });

  it("refuses a data directory that is not a PostgreSQL one", async () => {
    const p = await ports();
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "realmgate-launch-"));
    mkdirSync(path.join(dataDir, "pg"));
    writeFileSync(path.join(dataDir, "pg", "stray.txt"), "not a database");
    const { code, output } = await launch({ PORT: String(p.web), REALMGATE_PG_PORT: String(p.pg), REALMGATE_AGENT_BASE_PORT: String(p.agent), REALMGATE_DATA_DIR: dataDir });
    expect(code).toBe(1);
    expect(output).toMatch(/exists but is not a PostgreSQL data directory .*Move it away or delete it/s);
    expect(output).not.toMatch(/\n\s+at /);
  });

  it("refuses a tenant database URL that could escape row-level security", async () => {
    const p = await ports();
    const database = await createTestDatabase();
    try {
      const superuser = new URL(inject("pgAdminUrl"));
      superuser.pathname = new URL(database.urls.tenant).pathname;
      const dataDir = mkdtempSync(path.join(os.tmpdir(), "realmgate-launch-"));
      const { code, output } = await launch({
        PORT: String(p.web), REALMGATE_PG_PORT: String(p.pg), REALMGATE_AGENT_BASE_PORT: String(p.agent), REALMGATE_DATA_DIR: dataDir,
        DATABASE_URL: database.urls.owner,
        REALMGATE_TENANT_DATABASE_URL: superuser.toString(),
        REALMGATE_PLATFORM_DATABASE_URL: database.urls.platform,
      });
      expect(code).toBe(1);
      expect(output).toMatch(/the tenant database connection logs in as \S+, which is a superuser/);
      expect(output).not.toMatch(/\n\s+at /);
    } finally {
      await database.drop();
    }
  });
});
