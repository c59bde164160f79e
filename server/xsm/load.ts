import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { isBinaryPolicy, loadBinaryPolicy, type BinaryLoadOptions } from "./binary";
import { compilePolicy } from "./compile";
import type { CompiledPolicy } from "./policy";

/**
 * Reads a policy file: checkpolicy's binary output (recognised by the policydb magic number)
 * is loaded, policy text is compiled; errors name the file's base name (and line, for text).
 */
export function loadPolicyFromFile(file: string, options: Omit<BinaryLoadOptions, "fileName"> = {}): CompiledPolicy {
  const bytes = readFileSync(file);
  if (isBinaryPolicy(bytes)) return loadBinaryPolicy(bytes, { ...options, fileName: path.basename(file) });
  return compilePolicy(bytes.toString("utf8"), path.basename(file));
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
