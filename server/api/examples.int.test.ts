import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import openapiTS, { astToString } from "openapi-typescript";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PLATFORM_URL_ENV } from "../db/client";
import { createTestDatabase } from "../test/db";
import { liftDefaultQuotas } from "../test/quotas";
import { startRestServer, type RestServer } from "../test/rest-server";
import { startStack, type Stack } from "../test/stack";

/**
 * The examples (examples/) run as documented against a real server on loopback (REST, the
 * OpenAPI document and tRPC over HTTP), a test database, the worker and an agent, so each
 * operation really finishes. The REST journey is first type-checked against types generated
 * afresh from the served /api/openapi.json: a change of the document that breaks a client is a
 * type error here, not a surprise for the people who copied the example.
 */

const run = promisify(execFile);
const root = fileURLToPath(new URL("../../", import.meta.url));
const TSC = join(root, "node_modules/typescript/bin/tsc");
const TSX = join(root, "node_modules/tsx/dist/cli.mjs");

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let stack: Stack<"demo">;
let server: RestServer;
let workDir: string;
const previousUrl = process.env[PLATFORM_URL_ENV];
const JOURNEY_PERMISSIONS = ["vm.read", "vm.create", "vm.start", "vm.stop", "realm.read"] as const;

beforeAll(async () => {
  database = await createTestDatabase();
  // ?wait= listens for the operation's outcome on the platform database (services/operations.ts).
  process.env[PLATFORM_URL_ENV] = database.url;
  await liftDefaultQuotas(database.urls.owner);
  stack = await startStack({ hosts: ["examples-h1"], tenants: ["demo"], worker: {}, database });
  server = await startRestServer(stack);
  // Under .data (excluded from the project's tsconfig), inside the repository: the copies
  // resolve openapi-fetch and @trpc/client from its node_modules.
  workDir = join(root, ".data", `examples-${process.pid}-${Date.now()}`);
  mkdirSync(workDir, { recursive: true });
});
afterAll(async () => {
  if (previousUrl === undefined) delete process.env[PLATFORM_URL_ENV];
  else process.env[PLATFORM_URL_ENV] = previousUrl;
  await server?.close();
  await stack?.stop();
  // stop() leaves a database it was given.
  await database?.drop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

async function mint(permissions: readonly string[]) {
  const owner = stack.caller(stack.tenants.demo.members.owner);
  return (await owner.token.create({ name: `example-${Date.now().toString(36)}`, permissions: permissions as never, expiresInDays: 1 })).token;
}

function exampleEnv(token: string): NodeJS.ProcessEnv {
  return { ...process.env, REALMGATE_URL: server.url, REALMGATE_TOKEN: token, REALMGATE_TEMPLATE: "small", NO_COLOR: "1" };
}

/** openapi-typescript over the served document (self-referencing schemas typed unknown, as the CLI's). */
async function generateTypes(document: { components?: { schemas?: Record<string, unknown> } }): Promise<string> {
  const recursive = new Set(
    Object.entries(document.components?.schemas ?? {})
      .filter(([name, schema]) => JSON.stringify(schema).includes(`"#/components/schemas/${name}"`))
      .map(([name]) => `#/components/schemas/${name}`),
  );
  const ast = await openapiTS(document as never, {
    transform: (_schema, { path }) => (path && recursive.has(path) ? ts.factory.createKeywordTypeNode(ts.SyntaxKind.UnknownKeyword) : undefined),
  });
  return astToString(ast);
}

describe("examples", () => {
  it("rest-journey.ts type-checks against the served document and runs: create, start, list, stop, revoke, 401", async () => {
    const response = await fetch(`${server.url}/api/openapi.json`);
    expect(response.status).toBe(200);
    writeFileSync(join(workDir, "api-types.ts"), await generateTypes(await response.json()));
    copyFileSync(join(root, "examples/rest-journey.ts"), join(workDir, "rest-journey.ts"));
    const check = await run(
      process.execPath,
      [TSC, "--noEmit", "--strict", "--noUncheckedIndexedAccess", "--skipLibCheck", "--target", "ES2022", "--module", "esnext", "--moduleResolution", "bundler", "--lib", "ES2023,dom", "--types", "node", join(workDir, "rest-journey.ts")],
      { cwd: root, timeout: 60_000 },
    ).catch((error: { stdout?: string; stderr?: string }) => ({ failed: true, stdout: error.stdout ?? "", stderr: error.stderr ?? "" }));
    expect("failed" in check ? `${check.stdout}${check.stderr}` : "", "rest-journey.ts does not type-check against the served document").toBe("");

    const { stdout } = await run(process.execPath, [TSX, join(workDir, "rest-journey.ts")], { cwd: root, env: exampleEnv(await mint(JOURNEY_PERMISSIONS)), timeout: 90_000 });
    expect(stdout).toMatch(/created journey-\S+ \(\S+\): HTTP 200, operation \S+ succeeded/);
    expect(stdout).toMatch(/start: HTTP 200, operation succeeded/);
    expect(stdout).toMatch(/vm journey-\S+: running/);
    expect(stdout).toMatch(/stop: HTTP 200, operation succeeded/);
    expect(stdout).toMatch(/revoked token example-\S+ at /);
    expect(stdout).toMatch(/after revocation: HTTP 401: invalid API token/);
  });

  it("trpc-client.ts lists VMs and starts one over /api/trpc with a bearer token", async () => {
    const { stdout } = await run(process.execPath, [TSX, join(root, "examples/trpc-client.ts")], {
      cwd: root,
      env: exampleEnv(await mint(["vm.read", "vm.create", "vm.start"])),
      timeout: 90_000,
    });
    expect(stdout).toMatch(/^vm \S+: /m);
    expect(stdout).toMatch(/starting \S+: operation \S+/);
    expect(stdout).toMatch(/start succeeded/);
  });

  it("curl-walkthrough.sh runs the same journey with curl", async () => {
    const { stdout } = await run("bash", [join(root, "examples/curl-walkthrough.sh")], { cwd: root, env: exampleEnv(await mint(JOURNEY_PERMISSIONS)), timeout: 90_000 });
    expect(stdout).toMatch(/created curl-\d+/);
    expect(stdout).toMatch(/start: succeeded/);
    expect(stdout).toMatch(/stop: succeeded/);
    expect(stdout).toMatch(/after revocation: HTTP 401/);
  });
});
