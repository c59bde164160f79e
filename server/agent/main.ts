import { Toolstack } from "./toolstack";
import { createAgentServer } from "./http-server";
import { loadSecurityModule } from "./security-module";

/**
 * Host agent process: one per (simulated) Xen host. Holds only its own host's secret.
 * Env: REALMGATE_HOST_NAME, REALMGATE_AGENT_PORT, REALMGATE_AGENT_SECRET, REALMGATE_HOST_STATE_DIR,
 * REALMGATE_HOST_VCPUS, REALMGATE_HOST_MEMORY_MB.
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
const log = (line: string) => console.log(`[agent ${hostName}] ${line}`);

const xsm = loadSecurityModule(log);
const toolstack = new Toolstack(xsm, stateDir);
const server = createAgentServer(toolstack, { hostName, secret, capacity, log });
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
