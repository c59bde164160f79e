import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordDecision, unsafeRecordForeignDenial } from "../repositories/audit";
import { verifyAuditTrail } from "../services/audit-integrity";
import { createTestDatabase, type TestDatabase } from "../test/db";
import { tempDir } from "../test/processes";
import { sealAuditBatch } from "../worker/audit-sealer";
import { DirectoryCheckpointStore } from "./checkpoint";
import { auditKeys } from "./keys";

/**
 * "Attempts against realm X" reads realmgate_private.audit_target_realms, which the chain does not
 * cover. Its rows are sealed into their events instead (target-realm.ts): someone with database
 * write access who deletes a row to hide an attempt, edits one to blame another realm, or adds
 * one, is named by the verifier.
 */

const keys = auditKeys();
let t: TestDatabase;
let store: DirectoryCheckpointStore;
const actorRealm = randomUUID();
const victim = randomUUID();
const other = randomUUID();
const ids: Record<string, bigint> = {};

const denial = (requestId: string) => ({ realmId: actorRealm, actorId: null, action: "vm.start", targetType: "vm", targetId: null, decision: "deny" as const, layer: "trpc", reason: "VM not found in this realm", requestId, details: { unverifiedVmId: randomUUID() } });

async function asOwner(sql: string, params: unknown[] = []) {
  const owner = new pg.Client({ connectionString: t.urls.owner });
  await owner.connect();
  try {
    await owner.query("BEGIN");
    await owner.query(`ALTER TABLE "realmgate_private"."audit_target_realms" DISABLE TRIGGER "audit_target_realms_append_only"`);
    await owner.query(sql, params);
    await owner.query(`ALTER TABLE "realmgate_private"."audit_target_realms" ENABLE TRIGGER "audit_target_realms_append_only"`);
    await owner.query("COMMIT");
  } finally {
    await owner.end();
  }
}

beforeAll(async () => {
  t = await createTestDatabase();
  store = new DirectoryCheckpointStore(tempDir("target-realm-"));
  for (const name of ["hidden", "blamed", "kept", "nowhere"]) await unsafeRecordForeignDenial(t.db, denial(name), name === "nowhere" ? null : victim);
  await recordDecision(t.db, { ...denial("framed"), details: {} });
  const rows = await t.db.auditEvent.findMany({ where: { realmId: actorRealm }, select: { id: true, requestId: true } });
  for (const r of rows) ids[r.requestId] = r.id;
  while ((await sealAuditBatch(t.db, keys, { limit: 50 })).sealed > 0);
});

afterAll(async () => {
  await t?.drop();
});

const verify = () => verifyAuditTrail(t.db, { store, keys, publicKey: keys.publicKeyRaw });

describe("sealed target realms", () => {
  it("a clean trail: every target realm matches its seal, and the tenant's record shows only an opaque seal", async () => {
    const report = await verify();
    expect(report.ok).toBe(true);
    expect(report.targetRealms).toMatchObject({ checked: 4, problems: [] });
    const [kept, nowhere] = await Promise.all(["kept", "nowhere"].map((q) => t.db.auditEvent.findFirstOrThrow({ where: { requestId: q } })));
    const seal = (e: { details: unknown }) => (e.details as { probeSeal: string }).probeSeal;
    // The same shape whether the id was another realm's or nobody's; never the realm itself.
    expect(seal(kept!)).toMatch(/^[\w-]{16}\.[\w-]{43}$/);
    expect(seal(nowhere!)).toMatch(/^[\w-]{16}\.[\w-]{43}$/);
    expect(JSON.stringify(kept!.details)).not.toContain(victim);
  });

  it("deleted_target_realm_row_is_named: an attempt hidden from 'attempts against realm'", async () => {
    await asOwner(`DELETE FROM "realmgate_private"."audit_target_realms" WHERE "event_id" = $1`, [ids.hidden!.toString()]);
    await asOwner(`UPDATE "realmgate_private"."audit_target_realms" SET "target_realm_id" = $2 WHERE "event_id" = $1`, [ids.blamed!.toString(), other]);
    await asOwner(`INSERT INTO "realmgate_private"."audit_target_realms" ("event_id", "target_realm_id") VALUES ($1, $2)`, [ids.framed!.toString(), other]);
    const report = await verify();
    expect(report.ok).toBe(false);
    // The chains themselves are intact: only the side rows were touched.
    expect(report.chains.every((c) => c.ok)).toBe(true);
    const byEvent = Object.fromEntries(report.targetRealms!.problems.map((p) => [p.eventId, p.kind]));
    expect(byEvent).toEqual({ [ids.hidden!.toString()]: "deleted", [ids.blamed!.toString()]: "edited", [ids.framed!.toString()]: "inserted" });
    expect(JSON.stringify(report.targetRealms)).not.toContain(other);
  });
});
