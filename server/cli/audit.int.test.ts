import { mkdtempSync, readFileSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditKeys } from "../audit-chain/keys";
import { DirectoryCheckpointStore } from "../audit-chain/checkpoint";
import { PLATFORM_URL_ENV } from "../db/client";
import { recordDecision } from "../repositories/audit";
import { writeAuditCheckpoint } from "../services/audit-integrity";
import { createTestDatabase, type TestDatabase } from "../test/db";
import { callerFor, setupPlatform, setupTenant, type Tenant } from "../test/fixtures";
import { tempDir } from "../test/processes";
import { startRestServer, type RestServer } from "../test/rest-server";
import { sealAuditBatch } from "../worker/audit-sealer";
import type { Io } from "./io";
import { run } from "./program";

/**
 * `realmgate audit verify` (the server verifies the token's realm) and `realmgate audit export`
 * (streamed to a file or stdout) against the REST surface over loopback HTTP, then the exported
 * file verified offline by `audit verify --file`.
 */

const keys = auditKeys();
let t: TestDatabase;
let server: RestServer;
let acme: Tenant;
let token: string;
let viewerToken: string;
const previousUrl = process.env[PLATFORM_URL_ENV];
const previousDir = process.env.REALMGATE_AUDIT_CHECKPOINT_DIR;
const dir = mkdtempSync(path.join(os.tmpdir(), "rg-cli-audit-int-"));

function fakeIo(env: Record<string, string>) {
  const out: Buffer[] = [];
  const err: string[] = [];
  const stdout = Object.assign(new PassThrough(), { isTTY: false as boolean }).on("data", (c: Buffer) => out.push(c));
  const stderr = Object.assign(new PassThrough(), { isTTY: false as boolean }).on("data", (c: Buffer) => err.push(c.toString()));
  const io: Io = { stdout, stderr, stdin: Object.assign(new PassThrough(), { isTTY: false }), env: { HOME: dir, REALMGATE_URL: server.url, ...env } };
  return { io, out: () => Buffer.concat(out).toString(), err: () => err.join("") };
}

beforeAll(async () => {
  t = await createTestDatabase();
  process.env[PLATFORM_URL_ENV] = t.url;
  const store = new DirectoryCheckpointStore(tempDir("cli-audit-checkpoints-"));
  process.env.REALMGATE_AUDIT_CHECKPOINT_DIR = store.dir;
  const platform = await setupPlatform(t.db);
  acme = await setupTenant(t.db, "acme", platform.mgmtTemplate.id);
  ({ token } = await callerFor(t, acme.members.owner).token.create({ name: "cli-audit", permissions: ["realm.read", "audit.read"], expiresInDays: 1 }));
  ({ token: viewerToken } = await callerFor(t, acme.members.viewer).token.create({ name: "cli-viewer", permissions: ["realm.read"], expiresInDays: 1 }));
  for (let i = 0; i < 12; i++) {
    await recordDecision(t.db, { realmId: acme.realmId, actorId: acme.members.owner.id, action: i % 2 ? "vm.start" : "vm.stop", targetType: "vm", targetId: `vm-${i}`, decision: "allow", layer: "trpc", reason: `cli ${i}`, requestId: `cli-${i}` });
  }
  while ((await sealAuditBatch(t.db, keys, { limit: 500 })).sealed > 0);
  await writeAuditCheckpoint(t.db, keys, store);
  server = await startRestServer(t);
});

afterAll(async () => {
  await server?.close();
  if (previousUrl === undefined) delete process.env[PLATFORM_URL_ENV];
  else process.env[PLATFORM_URL_ENV] = previousUrl;
  if (previousDir === undefined) delete process.env.REALMGATE_AUDIT_CHECKPOINT_DIR;
  else process.env.REALMGATE_AUDIT_CHECKPOINT_DIR = previousDir;
  await t?.drop();
});

describe("realmgate audit verify (the server verifies the token's realm)", () => {
  it("prints the realm's chain as verified and exits 0; --realm must name the token's own realm", async () => {
    const ok = fakeIo({ REALMGATE_TOKEN: token });
    expect(await run(["audit", "verify"], ok.io), ok.err()).toBe(0);
    expect(ok.out()).toMatch(new RegExp(`OK   realm ${acme.realmId} \\(acme\\): \\d+ records up to seq \\d+; signed checkpoint at seq \\d+`));
    expect(ok.out()).toMatch(/audit chain verified$/m);
    const named = fakeIo({ REALMGATE_TOKEN: token });
    const { slug } = await t.db.organization.findUniqueOrThrow({ where: { id: acme.orgId } });
    expect(await run(["audit", "verify", "--realm", slug], named.io), named.err()).toBe(0);
    const byId = fakeIo({ REALMGATE_TOKEN: token });
    expect(await run(["audit", "verify", "--realm", acme.realmId.toUpperCase()], byId.io), byId.err()).toBe(0);
    const other = fakeIo({ REALMGATE_TOKEN: token });
    expect(await run(["audit", "verify", "--realm", "globex"], other.io)).toBe(1);
    expect(other.err()).toMatch(/this API token acts in acme-\w+ .* not globex/);
  });

  it("a token without audit.read is refused in words (exit 1)", async () => {
    const viewer = fakeIo({ REALMGATE_TOKEN: viewerToken });
    expect(await run(["audit", "verify"], viewer.io)).toBe(1);
    expect(viewer.err()).toMatch(/audit\.read/);
  });
});

describe("realmgate audit export, then verify --file offline", () => {
  it("exports NDJSON to a file (mode 0600) and CSV to stdout; both verify offline; a filter narrows", async () => {
    const file = path.join(dir, "trail.ndjson");
    const exported = fakeIo({ REALMGATE_TOKEN: token });
    expect(await run(["audit", "export", "-o", file], exported.io), exported.err()).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, "utf8")).toMatch(/^\{"kind":"header"/);
    const key = keys.publicKeyRaw.toString("base64");
    const offline = fakeIo({});
    expect(await run(["audit", "verify", "--file", file, "--public-key", key], offline.io), offline.out()).toBe(0);
    expect(offline.out()).toMatch(/export verified$/m);

    const csv = fakeIo({ REALMGATE_TOKEN: token });
    expect(await run(["audit", "export", "--format", "csv", "--action", "vm.start"], csv.io), csv.err()).toBe(0);
    const csvFile = path.join(dir, "trail.csv");
    (await import("node:fs")).writeFileSync(csvFile, csv.out());
    expect(csv.out().split("\r\n").filter((l) => l.startsWith('"record"'))).toHaveLength(6);
    const csvOffline = fakeIo({});
    expect(await run(["audit", "verify", "--file", csvFile, "--public-key", key], csvOffline.io), csvOffline.out()).toBe(0);
    expect(csvOffline.out()).toMatch(/filtered/);
  });

  it("a refused export says why and exits 1 (no file content on stdout)", async () => {
    const viewer = fakeIo({ REALMGATE_TOKEN: viewerToken });
    expect(await run(["audit", "export"], viewer.io)).toBe(1);
    expect(viewer.err()).toMatch(/audit\.read/);
    expect(viewer.out()).toBe("");
  });
});
