import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { compilePolicy } from "./compile";
import type { CompiledPolicy } from "./policy";

/** Reads and compiles a policy file; errors name the file's base name and line. */
export function loadPolicyFromFile(file: string): CompiledPolicy {
  return compilePolicy(readFileSync(file, "utf8"), path.basename(file));
}

/** Path of the project's realm policy (server/agent/xsm/policy/realm.te). */
export const REALM_POLICY_PATH = path.join(path.dirname(fileURLToPath(import.meta.url)), "policy", "realm.te");

/** The realm policy, compiled. */
export function loadRealmPolicy(): CompiledPolicy {
  return loadPolicyFromFile(REALM_POLICY_PATH);
}
