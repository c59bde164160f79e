import { createHash } from "node:crypto";
import { createSecurityModule } from "../xen";
import { FlaskPolicyHost } from "./flask-policy";
import { acmModuleFromEnv, initialAcmPolicy } from "./acm-config";
import { HostStore } from "./host-store";
import { createAgentServer } from "./http-server";
import { Toolstack } from "./toolstack";

/**
 * Host agent process: one per (simulated) Xen host. Holds only its own host's secret.
 * Env: REALMGATE_HOST_NAME, REALMGATE_AGENT_PORT, REALMGATE_AGENT_SECRET, REALMGATE_HOST_STATE_DIR,
 * REALMGATE_HOST_VCPUS, REALMGATE_HOST_MEMORY_MB, REALMGATE_HOST_ACM (none | chinese-wall | ste |
 * chinese-wall+ste), REALMGATE_HOST_ACM_POLICY (JSON file), REALMGATE_HOST_ARGO_MAC_PERMISSIVE=1,
 * REALMGATE_AGENT_TEST_HOOKS=1 (serves POST /v1/host/crash; never in production).
 */

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    console.error(`agent: ${name} is not set`);
    process.exit(2);
  }
  return value;
}

const hostName = required("REALMGATE_HOST_NAME");
const port = Number(required("REALMGATE_AGENT_PORT"));
const secret = required("REALMGATE_AGENT_SECRET");
const stateDir = required("REALMGATE_HOST_STATE_DIR");
const capacity = {
  vcpus: Number(process.env.REALMGATE_HOST_VCPUS ?? 32),
  memoryMb: Number(process.env.REALMGATE_HOST_MEMORY_MB ?? 65_536),
};
const testHooks = process.env.REALMGATE_AGENT_TEST_HOOKS === "1";
const log = (line: string) => console.log(`[agent ${hostName}] ${line}`);

let toolstack: Toolstack;
try {
  const acm = {
    module: acmModuleFromEnv(process.env.REALMGATE_HOST_ACM),
    policy: initialAcmPolicy(new HostStore(stateDir).loadAcmPolicy(), process.env.REALMGATE_HOST_ACM_POLICY),
  };
  const started = performance.now();
  const flask = FlaskPolicyHost.open(stateDir);
  log(`XSM/FLASK policy ${flask.info().fileName} (sha256 ${flask.info().sha256.slice(0, 12)}) loaded in ${(performance.now() - started).toFixed(1)} ms (enforcing)`);
  const xsm = createSecurityModule(flask.server);
  // The realms' block-sealing keys derive from the host's secret (HKDF in xen/block-data.ts); a
  // backend domain never holds it.
  const blockSecret = createHash("sha256").update(`realmgate block seal\0${secret}`).digest();
  toolstack = new Toolstack(xsm, { stateDir, acm, argoMacPermissive: process.env.REALMGATE_HOST_ARGO_MAC_PERMISSIVE === "1", log, flask, platformBackends: true, blockSecret });
  log(`ACM ${acm.module} with policy ${acm.policy.name}${testHooks ? "; TEST HOOKS ENABLED" : ""}`);
} catch (error) {
  console.error(`agent ${hostName}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
}
const server = createAgentServer(toolstack, { hostName, secret, capacity, log, testHooks });
server.on("error", (error: NodeJS.ErrnoException) => {
  console.error(
    error.code === "EADDRINUSE"
      ? `agent ${hostName}: port ${port} is already in use; stop what uses it or change REALMGATE_AGENT_BASE_PORT`
      : `agent ${hostName}: ${error.message}`,
  );
  process.exit(1);
});
server.listen(port, "127.0.0.1", () => log(`listening on 127.0.0.1:${port} (boot ${toolstack.bootId})`));

function shutdown(): void {
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2_000).unref();
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
