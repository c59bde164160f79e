import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The realm policy's golden decision suite (golden/realm-decisions.json) as data: the cases
 * realm-policy.test.ts pins the engine to, and the suite an operator's replacement policy must
 * pass before any host loads it (server/xen policy-admin.ts).
 */

export type GoldenCase = {
  name: string;
  source: string;
  target: string;
  class: string;
  perms: string[];
  audit?: { source?: number; target?: number };
  expect: { allowed: boolean; denied: string[]; layers: Record<string, string>; auditLines: string[] };
};

export type GoldenSuite = { labels: Record<string, string>; cases: GoldenCase[] };

function locate(): string {
  const beside = import.meta.url.startsWith("file:") ? path.join(path.dirname(fileURLToPath(import.meta.url)), "golden", "realm-decisions.json") : null;
  return beside && existsSync(beside) ? beside : path.join(process.cwd(), "server", "xsm", "golden", "realm-decisions.json");
}

let cached: GoldenSuite | null = null;

/** The suite, read once per process. */
export function goldenSuite(): GoldenSuite {
  cached ??= JSON.parse(readFileSync(locate(), "utf8")) as GoldenSuite;
  return cached;
}
