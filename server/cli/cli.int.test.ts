import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PLATFORM_URL_ENV } from "../db/client";
import { waitFor } from "../test/processes";
import { startRestServer, type RestServer } from "../test/rest-server";
import { startStack, type Stack } from "../test/stack";

/**
 * The `realmgate` CLI as a user runs it: a child process (node scripts/realmgate-cli.mjs, the package's
 * bin) against the REST surface over loopback HTTP, on a real stack (database, agent, worker),
 * so operations really run to completion or failure.
 */

const ROOT = path.resolve(import.meta.dirname, "../..");
const BIN = path.join(ROOT, "scripts/realmgate-cli.mjs");

let stack: Stack<"acme" | "other">;
let server: RestServer;
let home: string;
let token: string;
const previousUrl = process.env[PLATFORM_URL_ENV];

type Result = { code: number | null; stdout: string; stderr: string };

/** Runs the CLI with a home of its own; REALMGATE_URL points at the test server unless overridden. */
function cli(
  args: string[],
  options: { env?: Record<string, string | undefined>; input?: string; onStart?: () => void } = {},
): Promise<Result> {
  const env: NodeJS.ProcessEnv = {
    NODE_ENV: "test",
    PATH: process.env.PATH ?? "",
    HOME: home,
    REALMGATE_URL: server.url,
  };
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env, stdio: "pipe" });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? "");
  });
}

const asToken = (value: string) => ({ env: { REALMGATE_TOKEN: value } });

async function mint(user: { id: string }, permissions: string[], name = `cli-${randomUUID().slice(0, 6)}`) {
  return stack.caller(user).token.create({ name, permissions: permissions as never, expiresInDays: 30 });
}

beforeAll(async () => {
  stack = await startStack({ hosts: ["cli-a"], tenants: ["acme", "other"], worker: {} });
  process.env[PLATFORM_URL_ENV] = stack.url;
  server = await startRestServer(stack);
  home = mkdtempSync(path.join(os.tmpdir(), "realmgate-cli-home-"));
  ({ token } = await mint(stack.tenants.acme.members.owner, [
    "realm.read",
    "vm.read",
    "vm.create",
    "vm.start",
    "vm.stop",
    "vm.devices",
    "storage.manage",
    "network.manage",
    "audit.read",
  ]));
});

afterAll(async () => {
  await server?.close();
  await stack?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
  if (previousUrl === undefined) delete process.env[PLATFORM_URL_ENV];
  else process.env[PLATFORM_URL_ENV] = previousUrl;
});

describe("realmgate CLI against a running stack", () => {
  it("login checks the token, saves it with mode 0600 (directory 0700), and whoami uses it", async () => {
    const login = await cli(["login", "--url", server.url], { input: `${token}\n` });
    expect(login, login.stderr).toMatchObject({ code: 0 });
    expect(login.stdout).toMatch(new RegExp(`logged in to ${server.url} as owner of acme`));
    const file = path.join(home, ".config", "realmgate", "config.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({ url: server.url, token });

    // A bad token is not saved: the previous file stays.
    const [whoami, bad] = await Promise.all([
      cli(["whoami"], { env: { REALMGATE_URL: undefined } }),
      cli(["login", "--url", server.url, "--token", "rgt_aaaaaaaaaaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"]),
    ]);
    expect(whoami, whoami.stderr).toMatchObject({ code: 0 });
    expect(whoami.stdout).toMatch(/Role: +owner/);
    expect(whoami.stdout).toMatch(/Token: +from config file/);
    const permissions = /^Permissions: (.*)$/m.exec(whoami.stdout)?.[1]?.split(", ");
    expect(permissions?.sort()).toEqual([
      "audit.read",
      "network.manage",
      "realm.read",
      "storage.manage",
      "vm.create",
      "vm.devices",
      "vm.read",
      "vm.start",
      "vm.stop",
    ]);

    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^realmgate: invalid API token/m);
    expect(JSON.parse(readFileSync(file, "utf8")).token).toBe(token);
  });

  it("vm create and start with --wait show each step and exit 0; --json is one parseable document", async () => {
    const created = await cli(["vm", "create", "cli-web", "--template", "small", "--wait"]);
    expect(created, created.stderr).toMatchObject({ code: 0 });
    expect(created.stdout).toMatch(/^create VM cli-web \([0-9a-f-]{36}\): operation [0-9a-f-]{36}$/m);
    expect(created.stdout).toMatch(/^ {2}✓ accepted +\d\d:\d\d:\d\d$/m);
    expect(created.stdout).toMatch(/^ {2}✓ dispatched +\d\d:\d\d:\d\d {2}1 attempt$/m);
    expect(created.stdout).toMatch(/^ {2}✓ applied +\d\d:\d\d:\d\d/m);
    expect(created.stdout).toMatch(/^create succeeded in /m);
    expect(created.stdout).not.toMatch(/\r|\x1b/); // no spinner: stdout is a pipe

    const started = await cli(["vm", "start", "cli-web", "--wait", "--json"]);
    expect(started, started.stderr).toMatchObject({ code: 0 });
    const op = JSON.parse(started.stdout);
    expect(op).toMatchObject({ action: "start", status: "succeeded", done: true });
    expect(started.stderr).toMatch(/✓ applied/); // progress goes to stderr under --json

    const [listed, table] = await Promise.all([cli(["vm", "ls", "--json"]), cli(["vm", "ls"])]);
    expect(listed.code).toBe(0);
    const page = JSON.parse(listed.stdout);
    expect(page.nextCursor).toBeNull();
    expect(page.items.find((vm: { name: string }) => vm.name === "cli-web")).toMatchObject({
      observedState: "running",
      desiredState: "running",
    });
    expect(table.stdout).toMatch(/^NAME +ID +STATE/);
    expect(table.stdout).toMatch(/^cli-web +[0-9a-f-]{36} +running +1 +512 MiB +cli-a +guest$/m);
  });

  it("disks and networks by name, each mutation with an Idempotency-Key; the audit trail by page", async () => {
    const [disk, net] = await Promise.all([
      cli(["disk", "create", "cli-data", "--size", "2", "--json"]),
      cli(["net", "create", "cli-net"]),
    ]);
    expect(disk, disk.stderr).toMatchObject({ code: 0, stderr: "" });
    const { diskId } = JSON.parse(disk.stdout);
    // The key the CLI sent is recorded with the first answer: a retry would get that answer back.
    const keys = await stack.db.idempotencyKey.findMany({ where: { realmId: stack.tenants.acme.realmId } });
    expect(keys.find((k) => JSON.stringify(k.response).includes(diskId))?.key).toMatch(/^[0-9a-f-]{36}$/);

    const [attached, nets] = await Promise.all([cli(["disk", "attach", "cli-data", "cli-web", "--wait"]), cli(["net", "ls", "--json"])]);
    expect(attached, attached.stderr).toMatchObject({ code: 0 });
    expect(attached.stdout).toMatch(/^attach-disk succeeded in /m);
    const disks = await cli(["disk", "ls"]);
    expect(disks.stdout).toMatch(new RegExp(`^cli-data +${diskId} +2 GiB +cli-web$`, "m"));

    expect(net, net.stderr).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^created network cli-net \([0-9a-f-]{36}\)$/m),
    });
    expect(JSON.parse(nets.stdout)).toEqual({ items: [expect.objectContaining({ name: "cli-net", vms: [] })], nextCursor: null });

    // After the attach settled: the newest records are the worker's outcome (system) and the
    // requests the token made, named as the token.
    const audit = await cli(["audit", "ls", "--limit", "3", "--json"]);
    expect(audit.code).toBe(0);
    const page = JSON.parse(audit.stdout);
    expect(page.items).toHaveLength(3);
    expect(page.nextCursor).toEqual(expect.any(String));
    expect(page.items.map((item: { actor: string }) => item.actor)).toContainEqual(expect.stringMatching(/^token cli-\w+ of acme-owner/));
  });

  it("a missing, expired or revoked token and a foreign VM id each say so and exit 1", async () => {
    const expiring = await mint(stack.tenants.acme.members.owner, ["vm.read"], "cli-expiring");
    const past = new Date(Date.now() - 60_000);
    // Made a day ago, expired a minute ago (a token must expire after it was made).
    await stack.db.apiToken.update({
      where: { id: expiring.id },
      data: { createdAt: new Date(Date.now() - 86_400_000), expiresAt: past },
    });
    const doomed = await mint(stack.tenants.acme.members.owner, ["vm.read"], "cli-doomed");
    const revoke = await cli(["token", "revoke", "cli-doomed"]);
    expect(revoke, revoke.stderr).toMatchObject({ code: 0, stdout: "revoked token cli-doomed\n" });
    // Realm "other"'s VM, by its id, reads exactly like an id that exists nowhere.
    const foreign = await stack.db.vm.findFirstOrThrow({ where: { realmId: stack.tenants.other.realmId } });
    const missing = randomUUID();

    const cases: [string, Promise<Result>, string][] = [
      [
        "no token",
        cli(["vm", "ls"], { env: { HOME: mkdtempSync(path.join(os.tmpdir(), "realmgate-cli-empty-")) } }),
        "not logged in: run realmgate login or set REALMGATE_TOKEN",
      ],
      [
        "expired",
        cli(["vm", "ls"], asToken(expiring.token)),
        `API token 'cli-expiring' expired on ${past.toISOString()}; create a new one`,
      ],
      ["revoked", cli(["vm", "ls"], asToken(doomed.token)), "invalid API token: it does not exist or was revoked"],
      ["foreign get", cli(["vm", "get", foreign.id, "--json"]), `VM ${foreign.id} not found`],
      ["missing get", cli(["vm", "get", missing, "--json"]), `VM ${missing} not found`],
      ["foreign start", cli(["vm", "start", foreign.id, "--wait"]), `VM ${foreign.id} not found`],
      ["unknown name", cli(["vm", "get", "no-such-vm"]), "VM no-such-vm not found"],
    ];
    for (const [what, answer, message] of cases)
      expect(await answer, what).toEqual({ code: 1, stdout: "", stderr: `realmgate: ${message}\n` });
  });

  it("a failing operation shows its retries and error and exits 1", async () => {
    const vm = await stack.db.vm.findFirstOrThrow({ where: { realmId: stack.tenants.acme.realmId, name: "cli-web" } });
    await stack.agent("cli-a").stop();
    const running = cli(["vm", "stop", "cli-web", "--hard", "--wait"]);
    // The operation gives up at its deadline: brought close so the test does not wait minutes.
    const op = await waitFor(
      () => stack.db.operation.findFirst({ where: { vmId: vm.id, action: "stop" }, orderBy: { createdAt: "desc" } }),
      "stop requested",
    );
    await stack.db.operation.update({ where: { id: op.id }, data: { deadlineAt: new Date(Date.now() + 2_500) } });
    const failed = await running;
    expect(failed.code, failed.stdout + failed.stderr).toBe(1);
    expect(failed.stdout).toMatch(/retrying .*agent unreachable/);
    expect(failed.stdout).toMatch(/^ {2}✗ applied/m);
    expect(failed.stderr).toMatch(/^stop failed in [\d.]+ s: gave up after \d+ attempts: .*agent unreachable/m);

    const [shown, history] = await Promise.all([cli(["op", "get", op.id, "--json"]), cli(["vm", "ops", "cli-web"])]);
    expect(history.stdout).toMatch(new RegExp(`^[\\d-]+ [\\d:]+ +stop +failed +.*${op.id}`, "m"));
    expect(JSON.parse(shown.stdout)).toMatchObject({ id: op.id, status: "failed", done: true });
    const waited = await cli(["op", "wait", op.id]);
    expect(waited.code).toBe(1);
  });
});
