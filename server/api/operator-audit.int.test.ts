import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../test/db";
import { callerFor, createUser, setupPlatform, setupTenant, type Tenant } from "../test/fixtures";
import { tempDir } from "../test/processes";
import { sealAuditBatch } from "../worker/audit-sealer";
import { auditKeys } from "../audit-chain/keys";

/** operator.audit.*: verify, checkpoint and the public key, for operators only. */

let t: TestDatabase;
let acme: Tenant;
let ops: { id: string };

beforeAll(async () => {
  // This file's own checkpoint store (the directory operator.audit.* write to and read from).
  process.env.REALMGATE_AUDIT_CHECKPOINT_DIR = tempDir("operator-audit-checkpoints-");
  t = await createTestDatabase();
  const platform = await setupPlatform(t.db);
  acme = await setupTenant(t.db, "audit-acme", platform.mgmtTemplate.id);
  ops = await createUser(t.db, "audit-ops", true);
  while ((await sealAuditBatch(t.db, auditKeys())).sealed > 0);
});
afterAll(() => t.drop());

describe("operator.audit", () => {
  it("signs a checkpoint (audited) and verifies every chain against it, or one realm's", async () => {
    const operator = callerFor(t, ops);
    const written = await operator.operator.audit.checkpoint({});
    expect(written.name).toMatch(/^checkpoint-.*\.json$/);
    expect(written.chains).toBeGreaterThan(0);
    const audited = await t.db.auditEvent.findFirst({ where: { action: "audit.checkpoint", actorId: ops.id } });
    expect(audited?.targetId).toBe(written.name);
    const report = await operator.operator.audit.verify({});
    expect(report).toMatchObject({ ok: true, checkedMacs: true, checkpoints: { valid: 1, invalid: [] } });
    const realm = await operator.operator.audit.verify({ realmId: acme.realmId });
    expect(realm.chains).toEqual([expect.objectContaining({ realmId: acme.realmId, ok: true, checkpointSeq: expect.any(String) })]);
  });

  it("publishes the Ed25519 public key checkpoints are signed with", async () => {
    const { algorithm, publicKey } = await callerFor(t, ops).operator.audit.publicKey({});
    expect(algorithm).toBe("Ed25519");
    expect(Buffer.from(publicKey, "base64").equals(auditKeys().publicKeyRaw)).toBe(true);
  });

  it("answers a realm member as if the procedures did not exist", async () => {
    const owner = callerFor(t, acme.members.owner);
    await expect(owner.operator.audit.verify({})).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(owner.operator.audit.checkpoint({})).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(owner.operator.audit.publicKey({})).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
