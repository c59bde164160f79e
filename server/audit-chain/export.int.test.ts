import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PLATFORM_URL_ENV } from "../db/client";
import { recordDecision, unsafeRecordForeignDenial } from "../repositories/audit";
import { writeAuditCheckpoint } from "../services/audit-integrity";
import { auditExportStream } from "../services/audit-export";
import { createTestDatabase, type TestDatabase } from "../test/db";
import { callerFor, createUser, restFor, setupPlatform, setupTenant, type Tenant } from "../test/fixtures";
import { tempDir } from "../test/processes";
import { startRestServer } from "../test/rest-server";
import { sealAuditBatch } from "../worker/audit-sealer";
import { DirectoryCheckpointStore } from "./checkpoint";
import type { ExportRecord } from "./export-format";
import { auditKeys } from "./keys";
import { verifyExport, type ExportVerifyReport } from "./verify-export";

/**
 * Exports carry the chain data (issue 13): a realm's or an operator's export, NDJSON or CSV,
 * filtered or not, verifies offline with the public key alone (and with the keys: MACs and tags);
 * an edited byte, a dropped line and a forged checkpoint are each named; a realm's export holds
 * nothing of another realm (records, chains, the operators-only target realm); a member without
 * audit.read is refused exactly as on any forbidden REST call; the stream is pulled, not buffered.
 */

const keys = auditKeys();
let t: TestDatabase;
let acme: Tenant;
let globex: Tenant;
let ops: { id: string };
let ownerToken: string;
let viewerToken: string;
let rest: ReturnType<typeof restFor>;
let store: DirectoryCheckpointStore;
const previousUrl = process.env[PLATFORM_URL_ENV];
const previousDir = process.env.REALMGATE_AUDIT_CHECKPOINT_DIR;

async function sealAll(): Promise<void> {
  for (;;) {
    const r = await sealAuditBatch(t.db, keys, { limit: 5_000 });
    if (r.refused.length) throw new Error(`refused ${r.refused.length}`);
    if (r.sealed === 0) return;
  }
}

async function record(realmId: string | null, i: number, extra: { action?: string } = {}) {
  await recordDecision(t.db, {
    realmId,
    actorId: acme.members.owner.id,
    action: extra.action ?? (i % 2 ? "vm.start" : "vm.stop"),
    targetType: "vm",
    targetId: randomUUID(),
    decision: i % 3 ? "allow" : "deny",
    layer: "trpc",
    // Quotes, commas, a newline and a would-be spreadsheet formula: CSV must carry them exactly.
    reason: i % 4 === 0 ? `=cmd|' /C calc'!A0, "quoted"\nsecond line ${i}` : `reason ${i}, plain`,
    requestId: `req-${i}`,
    details: { i, nested: { z: [1.5, "é"], a: null } },
  });
}

beforeAll(async () => {
  t = await createTestDatabase();
  process.env[PLATFORM_URL_ENV] = t.url;
  store = new DirectoryCheckpointStore(tempDir("export-checkpoints-"));
  process.env.REALMGATE_AUDIT_CHECKPOINT_DIR = store.dir;
  const platform = await setupPlatform(t.db);
  acme = await setupTenant(t.db, "acme", platform.mgmtTemplate.id);
  globex = await setupTenant(t.db, "globex", platform.mgmtTemplate.id);
  ops = await createUser(t.db, "ops", true);
  ({ token: ownerToken } = await callerFor(t, acme.members.owner).token.create({ name: "export", permissions: ["audit.read", "realm.read"], expiresInDays: 1 }));
  ({ token: viewerToken } = await callerFor(t, acme.members.viewer).token.create({ name: "viewer", permissions: ["vm.read"], expiresInDays: 1 }));
  for (let i = 0; i < 30; i++) {
    await record(acme.realmId, i);
    await record(globex.realmId, i);
    if (i % 5 === 0) await record(null, i);
  }
  // A cross-realm attempt by an acme member against globex: the target realm is operators-only.
  await unsafeRecordForeignDenial(
    t.db,
    { realmId: acme.realmId, actorId: acme.members.owner.id, action: "vm.start", targetType: "vm", targetId: null, decision: "deny", layer: "trpc", reason: "VM not found in this realm (vm.start)", requestId: "req-foreign" },
    globex.realmId,
  );
  await sealAll();
  await writeAuditCheckpoint(t.db, keys, store);
  // Records after the checkpoint: checked by digest (and tag), not anchored by a signature.
  await record(acme.realmId, 100);
  await sealAll();
  rest = restFor(t);
});

afterAll(async () => {
  if (previousUrl === undefined) delete process.env[PLATFORM_URL_ENV];
  else process.env[PLATFORM_URL_ENV] = previousUrl;
  if (previousDir === undefined) delete process.env.REALMGATE_AUDIT_CHECKPOINT_DIR;
  else process.env.REALMGATE_AUDIT_CHECKPOINT_DIR = previousDir;
  await t?.drop();
});

/** GET an export through the REST surface; the raw text. */
async function download(path: string, as: { token?: string; user?: { id: string } }): Promise<{ status: number; headers: Headers; text: string }> {
  const { handleRest } = await import("../api/rest");
  const { startSession } = await import("../auth/sessions");
  const headers = new Headers();
  if (as.token) headers.set("authorization", `Bearer ${as.token}`);
  let sessionUser = null;
  if (as.user) {
    headers.set("x-realmgate-client", "web");
    const session = await startSession(t.db, as.user.id, { userAgent: "export test", clientAddress: null });
    const epoch = (await t.db.user.findUniqueOrThrow({ where: { id: as.user.id } })).sessionEpoch;
    sessionUser = { id: as.user.id, epoch, sid: session.sid };
  }
  const response = await handleRest(new Request(`http://localhost/api/v1${path}`, { headers }), {
    clients: { tenant: t.tenantDb, platform: t.db },
    sessionUser: async () => sessionUser,
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

const verifyText = (text: string, withKeys = false): Promise<ExportVerifyReport> =>
  // Chunks of odd sizes: the readers must not depend on line-aligned chunks.
  verifyExport(() => chunked(text, 777), { publicKey: keys.publicKeyRaw, keys: withKeys ? keys : null });

function* chunked(text: string, size: number): Generator<Uint8Array> {
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

const lines = (text: string) => text.split("\n").filter((l) => l !== "");
const records = (text: string) => lines(text).map((l) => JSON.parse(l) as { kind: string }).filter((x): x is ExportRecord => x.kind === "record");

describe("audit export round trip, verified offline", () => {
  it("a realm's NDJSON export verifies with the public key alone, and with the keys", async () => {
    const { status, headers, text } = await download("/audit/export", { token: ownerToken });
    expect(status, text).toBe(200);
    expect(headers.get("content-type")).toMatch(/^application\/x-ndjson/);
    const report = await verifyText(text);
    expect(report, JSON.stringify(report, null, 2)).toMatchObject({ ok: true, format: "ndjson", checkedMacs: false, fileProblems: [] });
    const head = records(text).length;
    expect(report.chains).toEqual([expect.objectContaining({ realmId: acme.realmId, ok: true, gaps: 0, checkpointSeq: String(head - 1), checkpointMatchedSeq: String(head - 1), headSeq: String(head) })]);
    expect(report.records).toBe(head);
    expect(report.limits.join("\n")).toMatch(new RegExp(`records after seq ${head - 1} .* are checked by digest only`));
    expect(await verifyText(text, true)).toMatchObject({ ok: true, checkedMacs: true, checkedTags: true });
  });

  it("a realm's CSV export verifies too (quotes, newlines and formulas carried exactly)", async () => {
    const { status, headers, text } = await download("/audit/export?format=csv", { token: ownerToken });
    expect(status, text).toBe(200);
    expect(headers.get("content-type")).toMatch(/^text\/csv/);
    expect(text).toContain(`"'=cmd|' /C calc'!A0, ""quoted""\nsecond line 0"`);
    const report = await verifyText(text, true);
    expect(report, JSON.stringify(report, null, 2)).toMatchObject({ ok: true, format: "csv", records: expect.any(Number) });
    expect(report.records).toBeGreaterThan(30);
  });

  it("a filtered export (NDJSON and CSV) checks each record on its own and says what it cannot prove", async () => {
    for (const format of ["ndjson", "csv"]) {
      const { status, text } = await download(`/audit/export?format=${format}&action=vm.start&decision=allow`, { token: ownerToken });
      expect(status, text).toBe(200);
      const report = await verifyText(text, true);
      expect(report, JSON.stringify(report, null, 2)).toMatchObject({ ok: true, header: { filtered: true, filter: { action: "vm.start", decision: "allow" } } });
      expect(report.records).toBeGreaterThan(3);
      expect(report.records).toBeLessThan(30);
      expect(report.chains[0]!.gaps).toBeGreaterThan(0);
      expect(report.limits.join("\n")).toMatch(/filtered .* gaps between exported records are expected/);
    }
  });

  it("an operator exports every chain, or the platform's alone, and both verify", async () => {
    const all = await download("/operator/audit/export", { user: ops });
    expect(all.status, all.text).toBe(200);
    const report = await verifyText(all.text, true);
    expect(report, JSON.stringify(report.chains, null, 2)).toMatchObject({ ok: true });
    expect(report.chains.map((c) => c.realmId).sort()).toEqual([null, acme.realmId, globex.realmId].sort());
    const platform = await download("/operator/audit/export?realmId=platform&format=csv", { user: ops });
    const onlyPlatform = await verifyText(platform.text);
    expect(onlyPlatform).toMatchObject({ ok: true, chains: [expect.objectContaining({ realmId: null, ok: true })] });
    // Operators may filter by the target realm; members may not even name it.
    const against = await download(`/operator/audit/export?againstRealmId=${globex.realmId}`, { user: ops });
    expect(records(against.text).map((r) => r.record?.requestId)).toEqual(["req-foreign"]);
    expect((await download(`/audit/export?againstRealmId=${globex.realmId}`, { token: ownerToken })).status).toBe(400);
  });
});

describe("a tampered export names what was done", () => {
  const editOneByte = (text: string, seq: string) =>
    lines(text)
      .map((l) => (l.includes(`"seq":"${seq}"`) && l.includes('"kind":"record"') ? l.replace('"reason 5, plain"', '"reason 6, plain"') : l))
      .join("\n");

  it("names the edited record (one byte of its content)", async () => {
    const { text } = await download("/audit/export", { token: ownerToken });
    const seq = records(text).find((r) => r.record?.requestId === "req-5")!.seq;
    const report = await verifyText(editOneByte(text, seq));
    expect(report.ok).toBe(false);
    expect(report.chains[0]!.firstBad).toMatchObject({ seq, kind: "edited" });
  });

  it("names the gap where a line was dropped (unfiltered: nothing may be missing)", async () => {
    const { text } = await download("/audit/export", { token: ownerToken });
    const dropped = lines(text).filter((l) => !l.includes('"seq":"7"'));
    const report = await verifyText(dropped.join("\n"));
    expect(report.ok).toBe(false);
    expect(report.chains[0]!.firstBad).toMatchObject({ seq: "7", kind: "deleted" });
    expect(report.fileProblems.join("\n")).toMatch(/trailer counts (\d+) records but the file holds/);
  });

  it("names the gap in a CSV export too, and an edited CSV cell", async () => {
    const { text } = await download("/audit/export?format=csv", { token: ownerToken });
    const rows = text.split("\r\n");
    const at = rows.findIndex((r) => r.startsWith('"record","' + acme.realmId + '","9",'));
    const withoutRow = [...rows.slice(0, at), ...rows.slice(at + 1)].join("\r\n");
    expect((await verifyText(withoutRow)).chains[0]!.firstBad).toMatchObject({ seq: "9", kind: "deleted" });
    const edited = rows.map((r, i) => (i === at ? r.replace('"trpc"', '"trpd"') : r)).join("\r\n");
    expect((await verifyText(edited)).chains[0]!.firstBad).toMatchObject({ seq: "9", kind: "edited" });
  });

  it("refuses a forged checkpoint (its signature fails) and a checkpoint of another key", async () => {
    const { text } = await download("/audit/export", { token: ownerToken });
    const forged = lines(text).map((l) => {
      if (!l.startsWith('{"kind":"checkpoint"')) return l;
      const c = JSON.parse(l) as { chain: { seq: string; digest: string } };
      c.chain.seq = "5";
      c.chain.digest = records(text).find((r) => r.seq === "5")!.digest;
      return JSON.stringify(c);
    });
    const report = await verifyText(forged.join("\n"));
    expect(report.ok).toBe(false);
    expect(report.checkpoints.invalid).toEqual([expect.objectContaining({ reason: expect.stringMatching(/signature does not verify/) })]);
    // A rewritten chain with a checkpoint signed by the attacker's own key: refused by the key given.
    const { deriveAuditKeys } = await import("./keys");
    const other = await verifyExport(() => [text], { publicKey: deriveAuditKeys("an-attackers-own-secret-key").publicKeyRaw });
    expect(other.checkpoints.invalid[0]?.reason).toMatch(/another key/);
  });

  it("says when the end was cut off (no trailer)", async () => {
    const { text } = await download("/audit/export", { token: ownerToken });
    const cut = lines(text).slice(0, 10).join("\n");
    const report = await verifyText(cut);
    expect(report.ok).toBe(false);
    expect(report.fileProblems.join("\n")).toMatch(/no trailer/);
    // And the checkpoint, had it been kept, would have named the truncation.
    const keptCheckpoint = [...lines(text).slice(0, 10), ...lines(text).filter((l) => l.startsWith('{"kind":"checkpoint"'))].join("\n");
    expect((await verifyText(keptCheckpoint)).chains[0]!.firstBad).toMatchObject({ kind: "truncated" });
  });
});

describe("a realm's export stays in the realm", () => {
  it("holds only the realm's chain and records, never the target realm of a cross-realm attempt", async () => {
    for (const format of ["ndjson", "csv"]) {
      const { text } = await download(`/audit/export?format=${format}`, { token: ownerToken });
      expect(text).not.toContain(globex.realmId);
      expect(text).not.toContain(globex.orgId);
      expect(text.toLowerCase()).not.toMatch(/target_?realm/);
    }
    const { text } = await download("/audit/export", { token: ownerToken });
    const items = lines(text).map((l) => JSON.parse(l) as { kind: string; chain?: { realmId: string | null } | string | null });
    for (const r of records(text)) {
      expect(r.chain).toBe(acme.realmId);
      expect(r.record?.realmId).toBe(acme.realmId);
    }
    // The checkpoint part is the realm's chain alone (no other realm's id, seq or digest).
    const checkpoints = items.filter((i) => i.kind === "checkpoint");
    expect(checkpoints).toHaveLength(1);
    expect((checkpoints[0]!.chain as { realmId: string }).realmId).toBe(acme.realmId);
    // An operator's filter parameter naming another realm is refused, not obeyed.
    expect((await download(`/audit/export?realmId=${globex.realmId}`, { token: ownerToken })).status).toBe(400);
  });

  it("a member without audit.read gets exactly the answer of any forbidden REST call", async () => {
    const exported = await download("/audit/export?format=csv", { token: viewerToken });
    const trail = await rest("GET", "/audit", { token: viewerToken });
    expect(exported.status).toBe(403);
    const body = JSON.parse(exported.text) as Record<string, unknown>;
    const strip = ({ requestId: _r, instance: _i, ...rest }: Record<string, unknown>) => rest;
    expect(strip(body)).toEqual(strip(trail.body as Record<string, unknown>));
    expect(exported.headers.get("content-type")).toBe("application/problem+json");
    // No credential: 401 as everywhere; an operator route for a member's token: as any operator route.
    expect((await download("/audit/export", {})).status).toBe(401);
    const asOperator = await download("/operator/audit/export", { token: ownerToken });
    const operatorRoute = await rest("GET", "/operator/audit/verify", { token: ownerToken });
    expect(asOperator.status).toBe(operatorRoute.status);
    expect(strip(JSON.parse(asOperator.text) as Record<string, unknown>).detail).toEqual(strip(operatorRoute.body as Record<string, unknown>).detail);
  });
});

describe("a member of two organizations", () => {
  it("exports the organization a download link names (?org=), and a token only its own", async () => {
    const user = acme.members.owner;
    await t.db.membership.create({ data: { orgId: globex.orgId, userId: user.id, role: "admin" } });
    const { slug } = await t.db.organization.findUniqueOrThrow({ where: { id: globex.orgId } });
    const chosen = await download(`/audit/export?org=${slug}`, { user });
    expect(chosen.status, chosen.text).toBe(200);
    expect(records(chosen.text).every((r) => r.chain === globex.realmId)).toBe(true);
    expect(records(chosen.text).length).toBeGreaterThan(0);
    expect((await verifyText(chosen.text)).ok).toBe(true);
    // A token acts in its own organization: naming another answers like a foreign one.
    expect((await download(`/audit/export?org=${slug}`, { token: ownerToken })).status).toBe(404);
    expect((await download(`/audit/export?org=not-a-member-of-this`, { user })).status).toBe(404);
    await t.db.membership.deleteMany({ where: { orgId: globex.orgId, userId: user.id } });
  });
});

describe("the export streams", () => {
  it("50,000 records: pages are read only as the consumer pulls, and cancelling stops the reads", async () => {
    const { canonicalRecord } = await import("./canonical");
    const { recordMac } = await import("./chain");
    const realmId = acme.realmId;
    const base = Date.now() - 100_000;
    for (let start = 0; start < 50_000; start += 5_000) {
      const rows = Array.from({ length: 5_000 }, (_, k) => {
        const i = start + k;
        const content = { realmId, actorId: null, actorTokenId: null, action: "bulk.event", targetType: "vm", targetId: `t-${i}`, decision: "allow" as const, layer: "trpc", reason: `bulk ${i}`, requestId: `bulk-${i}`, details: { i }, createdAt: new Date(base + i) };
        return { ...content, mac: recordMac(keys.record, canonicalRecord(content)).toString("hex") };
      });
      await t.db.$executeRaw`
        INSERT INTO "audit_events" ("realm_id", "action", "target_type", "target_id", "decision", "layer", "reason", "request_id", "details", "created_at", "mac")
        SELECT ${realmId}::uuid, 'bulk.event', 'vm', x.t, 'allow', 'trpc', x.r, x.q, x.d::jsonb, x.c::timestamptz, decode(x.m, 'hex')
        FROM unnest(${rows.map((r) => r.targetId)}::text[], ${rows.map((r) => r.reason)}::text[], ${rows.map((r) => r.requestId)}::text[],
                    ${rows.map((r) => JSON.stringify(r.details))}::text[], ${rows.map((r) => r.createdAt.toISOString())}::text[], ${rows.map((r) => r.mac)}::text[]) AS x(t, r, q, d, c, m)`;
    }
    await sealAll();

    let pages = 0;
    const stream = auditExportStream(
      { tenant: t.tenantDb, platform: t.db },
      { kind: "realm", realmId },
      { format: "ndjson", filter: {}, filterParams: {}, store, publicKeyRaw: keys.publicKeyRaw, onPage: () => pages++ },
    );
    const reader = stream.getReader();
    const first = await reader.read(); // the header
    expect(first.done).toBe(false);
    expect(pages).toBe(0);
    await reader.read(); // the first page of records
    expect(pages).toBe(1);
    await reader.read();
    expect(pages).toBe(2); // one page per pull: nothing read ahead of the consumer
    await reader.cancel();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(pages).toBe(2); // the client left: no further reads

    // Over HTTP (the web process's node:http layer): the first bytes arrive as a stream (no
    // Content-Length: nothing was buffered whole), and the client may leave at any point.
    const server = await startRestServer(t);
    try {
      const abort = new AbortController();
      const response = await fetch(`${server.url}/api/v1/audit/export`, { headers: { authorization: `Bearer ${ownerToken}` }, signal: abort.signal });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-length")).toBeNull();
      expect(response.headers.get("transfer-encoding")).toBe("chunked");
      const body = response.body!.getReader();
      const head = await body.read();
      expect(Buffer.from(head.value!).toString().startsWith('{"kind":"header"')).toBe(true);
      abort.abort();
      await body.cancel().catch(() => undefined);
    } finally {
      await server.close();
    }

    // The whole export, read through, verifies.
    const before = Number((await t.db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM audit_chain WHERE realm_id = ${realmId}::uuid`)[0]!.n);
    let bytes = 0;
    const whole = auditExportStream({ tenant: t.tenantDb, platform: t.db }, { kind: "realm", realmId }, { format: "ndjson", filter: {}, filterParams: {}, store, publicKeyRaw: keys.publicKeyRaw });
    const chunks: Uint8Array[] = [];
    for await (const chunk of whole as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.byteLength;
      chunks.push(chunk); // kept only to verify below
    }
    expect(bytes).toBeGreaterThan(10_000_000);
    const report = await verifyExport(() => chunks, { publicKey: keys.publicKeyRaw, keys });
    expect(report, JSON.stringify(report.chains)).toMatchObject({ ok: true, records: before });
    expect(before).toBeGreaterThan(50_000);
  });
});
