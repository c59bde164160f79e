import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseRange, type CategoryRange } from "./services/categories";

/**
 * Launcher configuration from the environment, with safe generated defaults for local use:
 * secrets are random per installation and kept in <data dir>/secrets.json (mode 0600).
 */

export type LauncherConfig = {
  dataDir: string;
  webPort: number;
  pgPort: number;
  agentBasePort: number;
  hostCount: number;
  databaseUrl: string | null;
  nextAuthSecret: string;
  agentMasterSecret: string;
  categoryRange: CategoryRange;
};

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65_535) throw new Error(`${name} must be a port number (1-65535), got '${raw}'`);
  return value;
}

function loadSecrets(dataDir: string): { nextAuthSecret: string; agentMasterSecret: string } {
  const file = path.join(dataDir, "secrets.json");
  let stored: Partial<Record<"nextAuthSecret" | "agentMasterSecret", string>> = {};
  if (existsSync(file)) stored = JSON.parse(readFileSync(file, "utf8"));
  const secrets = {
    nextAuthSecret: process.env.NEXTAUTH_SECRET || stored.nextAuthSecret || randomBytes(32).toString("base64url"),
    agentMasterSecret:
      process.env.REALMGATE_AGENT_MASTER_SECRET || stored.agentMasterSecret || randomBytes(32).toString("base64url"),
  };
  if (!stored.nextAuthSecret || !stored.agentMasterSecret) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify({ ...stored, ...secrets }, null, 2));
    chmodSync(file, 0o600);
  }
  return secrets;
}

export function loadLauncherConfig(cwd = process.cwd()): LauncherConfig {
  const dataDir = path.resolve(cwd, process.env.REALMGATE_DATA_DIR ?? ".data");
  const hostCount = Number(process.env.REALMGATE_HOSTS ?? 2);
  if (!Number.isInteger(hostCount) || hostCount < 1 || hostCount > 16) throw new Error("REALMGATE_HOSTS must be 1..16");
  return {
    dataDir,
    webPort: port("PORT", 3000),
    pgPort: port("REALMGATE_PG_PORT", 5433),
    agentBasePort: port("REALMGATE_AGENT_BASE_PORT", 7101),
    hostCount,
    databaseUrl: process.env.DATABASE_URL || null,
    categoryRange: parseRange(process.env.REALMGATE_CATEGORY_RANGE),
    ...loadSecrets(dataDir),
  };
}

export function hostName(index: number): string {
  return `xen-${String.fromCharCode(97 + index)}`;
}
