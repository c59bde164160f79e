import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { compilePolicy } from "./compile";
import type { CompiledPolicy } from "./policy";

/** Reads and compiles a policy file; errors name the file's base name and line. */
export function loadPolicyFromFile(file: string): CompiledPolicy {
  return compilePolicy(readFileSync(file, "utf8"), path.basename(file));
}

/**
 * Path of the project's realm policy (server/xsm/policy/realm.te): beside this module, or, in a
 * bundle (the Next.js server) where the module's URL is the bundle's, under the project root the
 * server runs from.
 */
export const REALM_POLICY_PATH = locateRealmPolicy();

function locateRealmPolicy(): string {
  const beside = import.meta.url.startsWith("file:") ? path.join(path.dirname(fileURLToPath(import.meta.url)), "policy", "realm.te") : null;
  return beside && existsSync(beside) ? beside : path.join(process.cwd(), "server", "xsm", "policy", "realm.te");
}

/** The realm policy, compiled. */
export function loadRealmPolicy(): CompiledPolicy {
  return loadPolicyFromFile(REALM_POLICY_PATH);
}
