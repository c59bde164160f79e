import { spawn } from "node:child_process";
import { createWriteStream, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { startTestOidcProvider, TEST_OIDC_PORT } from "./test-oidc-provider";

/**
 * The product for the Playwright suite (started by playwright.config.ts `webServer`): a fresh
 * database every run (deterministic demo data) on ports of its own, so it never collides with a
 * developer's `npm start` on the defaults. The launcher's output goes to this process's stdout and
 * stderr and is also kept in e2e/artifacts/server.log for post-mortems. SIGTERM/SIGINT are
 * forwarded to the launcher, which stops its children and the embedded PostgreSQL; this process
 * exits when the launcher does.
 */

const root = path.resolve(import.meta.dirname, "..");
const dataDir = path.join(root, ".data", "e2e");
const logFile = path.join(root, "e2e", "artifacts", "server.log");

rmSync(dataDir, { recursive: true, force: true });
mkdirSync(path.dirname(logFile), { recursive: true });
const log = createWriteStream(logFile);
console.log(
  `[e2e-server] fresh data directory ${path.relative(root, dataDir)}; log in ${path.relative(root, logFile)}`,
);

// A real OpenID provider on loopback for the SSO specs (e2e/sso.spec.ts); the launcher passes its
// REALMGATE_OIDC_* settings through to the web server.
const oidc = await startTestOidcProvider({ port: TEST_OIDC_PORT, redirectUri: "http://localhost:3100/api/auth/callback/oidc" });
console.log(`[e2e-server] test OpenID provider at ${oidc.issuer}`);

const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "scripts/realmgate.ts"), "start"], {
  cwd: root,
  stdio: ["inherit", "pipe", "pipe"],
  env: {
    ...process.env,
    PORT: "3100",
    REALMGATE_PG_PORT: "5533",
    REALMGATE_AGENT_BASE_PORT: "7201",
    REALMGATE_DATA_DIR: ".data/e2e",
    // The specs share the seeded organizations and create VMs, disks and networks in them throughout
    // the run: a realm's default quota is the whole test fleet here (e2e/quotas.spec.ts sets its own).
    REALMGATE_DEFAULT_QUOTA: process.env.REALMGATE_DEFAULT_QUOTA ?? "vcpus=64,memoryMb=131072,vms=200,diskGb=5000,networks=100",
    ...oidc.env,
  },
});
child.stdout.on("data", (chunk: Buffer) => {
  process.stdout.write(chunk);
  log.write(chunk);
});
child.stderr.on("data", (chunk: Buffer) => {
  process.stderr.write(chunk);
  log.write(chunk);
});

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  });
}

child.on("exit", (code, signal) => {
  log.end(() => process.exit(code ?? (signal ? 1 : 0)));
});
