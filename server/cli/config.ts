import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { CliError } from "./errors";

/**
 * Where the CLI finds its server and token: REALMGATE_URL / REALMGATE_TOKEN, else the user's
 * config file ($XDG_CONFIG_HOME/realmgate/config.json or ~/.config/realmgate/config.json, written
 * by `realmgate login` with mode 0600 in a 0700 directory), else http://localhost:3000 and no token.
 */

export const DEFAULT_URL = "http://localhost:3000";

export type Env = Record<string, string | undefined>;
export type StoredConfig = { url: string; token: string };
export type Settings = {
  url: string;
  token: string | null;
  /** Where each came from, for whoami and error messages. */
  urlFrom: "REALMGATE_URL" | "config file" | "default" | "--url";
  tokenFrom: "REALMGATE_TOKEN" | "config file" | null;
  configFile: string;
};

export function configFile(env: Env): string {
  const home = env.HOME ?? env.USERPROFILE;
  const base = env.XDG_CONFIG_HOME?.trim() || (home ? path.join(home, ".config") : null);
  if (!base) throw new CliError("cannot find a place for the config file: set HOME or XDG_CONFIG_HOME");
  return path.join(base, "realmgate", "config.json");
}

export function readStoredConfig(file: string): Partial<StoredConfig> | null {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>;
    return {
      url: typeof parsed.url === "string" ? parsed.url : undefined,
      token: typeof parsed.token === "string" ? parsed.token : undefined,
    };
  } catch {
    throw new CliError(`${file} is not valid JSON: run realmgate login again`);
  }
}

/** Writes the file readable by its owner only (0600), in a directory only they can enter (0700). */
export function writeStoredConfig(file: string, config: StoredConfig): void {
  const dir = path.dirname(file);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, file);
}

export function removeStoredConfig(file: string): boolean {
  try {
    rmSync(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}

/** The URL without a trailing slash; refuses anything but http(s). */
export function normalizeUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliError(`not a URL: ${url}`, 2);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:")
    throw new CliError(`the URL must start with http:// or https:// (got ${url})`, 2);
  return parsed.origin + parsed.pathname.replace(/\/+$/, "");
}

export function resolveSettings(env: Env, flags: { url?: string } = {}): Settings {
  const file = configFile(env);
  const stored = readStoredConfig(file);
  const envToken = env.REALMGATE_TOKEN?.trim();
  const envUrl = env.REALMGATE_URL?.trim();
  const [url, urlFrom] = flags.url
    ? [flags.url, "--url" as const]
    : envUrl
      ? [envUrl, "REALMGATE_URL" as const]
      : stored?.url
        ? [stored.url, "config file" as const]
        : [DEFAULT_URL, "default" as const];
  const [token, tokenFrom] = envToken
    ? [envToken, "REALMGATE_TOKEN" as const]
    : stored?.token
      ? [stored.token, "config file" as const]
      : [null, null];
  return { url: normalizeUrl(url), token, urlFrom, tokenFrom, configFile: file };
}
