import { readFileSync } from "node:fs";
import { acmPolicy, type AcmPolicy } from "../contracts/agent";
import { ACM_MODULE_NAMES, DEFAULT_ACM_POLICY, type AcmModuleName } from "../xen";

/**
 * Which ACM module a host runs and with which policy. Both are configuration, never code:
 * REALMGATE_HOST_ACM picks the module (default chinese-wall+ste, sHype's usual composition);
 * the policy comes from the last PUT /v1/acm (kept in the state directory), else the JSON file
 * named by REALMGATE_HOST_ACM_POLICY, else the built-in default (no conflict sets; realm types
 * derived from categories). An invalid module name or policy stops the agent: a host must not
 * come up with a security module other than the one it was configured with.
 */

export function acmModuleFromEnv(value: string | undefined): AcmModuleName {
  const name = value ?? "chinese-wall+ste";
  if (!(ACM_MODULE_NAMES as readonly string[]).includes(name)) throw new Error(`REALMGATE_HOST_ACM must be one of ${ACM_MODULE_NAMES.join(", ")} (got '${value}')`);
  return name as AcmModuleName;
}

export function parseAcmPolicy(json: unknown, where: string): AcmPolicy {
  const parsed = acmPolicy.safeParse(json);
  if (!parsed.success) {
    throw new Error(`invalid ACM policy in ${where}: ${parsed.error.issues.map((i) => `${i.path.join(".") || "policy"}: ${i.message}`).join("; ")}`);
  }
  return parsed.data;
}

export function initialAcmPolicy(persisted: unknown, envPath: string | undefined): AcmPolicy {
  if (persisted) return parseAcmPolicy(persisted, "the state directory's acm-policy.json");
  if (envPath) return parseAcmPolicy(JSON.parse(readFileSync(envPath, "utf8")), envPath);
  return DEFAULT_ACM_POLICY;
}
