import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { RolePasswords } from "./db/roles";
import { parseRange, type CategoryRange } from "./services/categories";
import { parseQuotaSpec, type QuotaAmounts } from "./services/quotas";

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
  /** DATABASE_URL: a superuser (the launcher creates the roles) or the owner role. */
  databaseUrl: string | null;
  /** REALMGATE_TENANT_DATABASE_URL / REALMGATE_PLATFORM_DATABASE_URL, when an administrator made the roles. */
  tenantDatabaseUrl: string | null;
  platformDatabaseUrl: string | null;
  categoryRange: CategoryRange;
  /** REALMGATE_DEFAULT_QUOTA: the limits each new realm gets (existing realms keep theirs). */
  defaultQuota: QuotaAmounts;
  /** REALMGATE_AUDIT_CHECKPOINT_DIR: where signed audit checkpoints go (default <data dir>/audit-checkpoints). */
  auditCheckpointDir: string;
  /** REALMGATE_PG_SETTINGS: extra `name=value` settings for the embedded server (space-separated). */
  pgSettings: string[];
} & Secrets;

/** `name=value name=value`: PostgreSQL settings, separated by spaces (a value may hold commas). */
export function parsePgSettings(raw: string | undefined, name = "REALMGATE_PG_SETTINGS"): string[] {
  const text = raw?.trim();
  if (!text) return [];
  return text.split(/\s+/).map((setting) => {
    if (!/^[a-z_][a-z0-9_.]*=[^\s=]+$/i.test(setting)) throw new Error(`${name}: '${setting}' is not name=value (settings are separated by spaces)`);
    return setting;
  });
}

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65_535) throw new Error(`${name} must be a port number (1-65535), got '${raw}'`);
  return value;
}

type Secrets = {
  nextAuthSecret: string;
  agentMasterSecret: string;
  /** The audit trail's keys derive from it (server/audit-chain/keys.ts): web process and worker only. */
  auditSecret: string;
  /** The embedded server's superuser (the launcher creates the roles with it). */
  postgresPassword: string;
  /** The three database roles' passwords (server/db/roles.ts). */
  databasePasswords: RolePasswords;
};

const random = () => randomBytes(32).toString("base64url");

function loadSecrets(dataDir: string): Secrets {
  const file = path.join(dataDir, "secrets.json");
  let stored: Partial<Secrets> = {};
  if (existsSync(file)) stored = JSON.parse(readFileSync(file, "utf8"));
  const secrets: Secrets = {
    nextAuthSecret: process.env.NEXTAUTH_SECRET || stored.nextAuthSecret || random(),
    agentMasterSecret: process.env.REALMGATE_AGENT_MASTER_SECRET || stored.agentMasterSecret || random(),
    auditSecret: process.env.REALMGATE_AUDIT_SECRET || stored.auditSecret || random(),
    postgresPassword: stored.postgresPassword || random(),
    databasePasswords: {
      owner: stored.databasePasswords?.owner || random(),
      tenant: stored.databasePasswords?.tenant || random(),
      platform: stored.databasePasswords?.platform || random(),
    },
  };
  const complete = stored.nextAuthSecret && stored.agentMasterSecret && stored.auditSecret && stored.postgresPassword && stored.databasePasswords?.owner && stored.databasePasswords.tenant && stored.databasePasswords.platform;
  if (!complete) {
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
    tenantDatabaseUrl: process.env.REALMGATE_TENANT_DATABASE_URL || null,
    platformDatabaseUrl: process.env.REALMGATE_PLATFORM_DATABASE_URL || null,
    categoryRange: parseRange(process.env.REALMGATE_CATEGORY_RANGE),
    defaultQuota: parseQuotaSpec(process.env.REALMGATE_DEFAULT_QUOTA),
    auditCheckpointDir: path.resolve(cwd, process.env.REALMGATE_AUDIT_CHECKPOINT_DIR || path.join(dataDir, "audit-checkpoints")),
    pgSettings: parsePgSettings(process.env.REALMGATE_PG_SETTINGS),
    ...loadSecrets(dataDir),
  };
}

export function hostName(index: number): string {
  return `xen-${String.fromCharCode(97 + index)}`;
}
