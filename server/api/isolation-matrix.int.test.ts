import { randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { startSession } from "../auth/sessions";
import { createTestDatabase, type TestDatabase } from "../test/db";
import { callerFor, createUser, setupPlatform, setupTenant } from "../test/fixtures";
import { appRouter } from "./root";

/**
 * Layer 1, exhaustively: every procedure of the router (enumerated from the router itself, so a
 * new procedure is covered without touching this file) is called by realm B's owner with every
 * kind of realm-A object. Expected: no success, no side effect, and an answer identical to the
 * one for a random id. Positive control: realm A's owner is not blocked.
 */

type Procedure = { _def: { type: "query" | "mutation" | "subscription"; inputs: z.ZodType[] } };
const procedures = Object.entries((appRouter._def as unknown as { procedures: Record<string, Procedure> }).procedures);

/** Which kind of object an id field names; an id field not listed here fails the test. */
const ID_FIELDS = {
  vmId: "vm",
  operationId: "operation",
  diskId: "disk",
  networkId: "network",
  realmId: "realm",
  realmA: "realm",
  realmB: "realm",
  grantId: "grant",
  sessionId: "session",
  orgId: "org",
  invitationId: "invitation",
  userId: "member",
} as const;
type ObjectKind = (typeof ID_FIELDS)[keyof typeof ID_FIELDS];
/** Valid values for the other fields, so that only the foreign id can make a call fail. */
const SAMPLE_VALUES: Record<string, unknown> = {
  name: "matrix-vm",
  memoryMb: 512,
  vcpus: 1,
  limit: 10,
  userEmail: "nobody@test.local",
  permission: "vm.start",
  reason: "matrix test: checking the boundary",
  minutes: 5,
  idempotencyKey: undefined,
  mode: "clean",
  sizeGb: 10,
  // Onboarding and offboarding (operator.organizations.*): a valid slug, a wrong confirmation.
  slug: "matrix-org",
  confirmSlug: "not-the-slug",
  // The audit export's cursor (operator.organizations.auditPage).
  afterId: "0",
  // Quota limits (operator.quotas.set; vcpus and memoryMb above serve too).
  vms: 10,
  diskGb: 100,
  networks: 10,
  currentPassword: "not-the-password",
  newPassword: "matrix-new-password",
  // Second factors (mfa.*): a wrong code and password, an empty passkey response, a no-op policy.
  code: "000000",
  password: "not-the-password",
  response: {},
  id: "not-a-passkey",
  requireMfa: false,
  // People (realm.members.*, realm.invitations.*, invitation.*, operator.invitations.*).
  email: "matrix-invitee@test.local",
  role: "viewer",
  token: "not-an-invitation-token",
};

type Def = { type: string; format?: string; shape?: Record<string, { _zod: { def: Def } }>; innerType?: { _zod: { def: Def } } };
const defOf = (schema: unknown): Def => (schema as { _zod: { def: Def } })._zod.def;

type Field = { name: string; kind: ObjectKind | "template" | "value" };

function fieldsOf(proc: Procedure): Field[] {
  const fields: Field[] = [];
  for (const input of proc._def.inputs) {
    let def = defOf(input);
    while (def.type === "default" || def.type === "optional") def = def.innerType!._zod.def;
    if (def.type !== "object") throw new Error(`input of type ${def.type} is not covered by the matrix`);
    for (const [name, schema] of Object.entries(def.shape ?? {})) {
      let field = schema._zod.def;
      if (field.type === "optional") field = field.innerType!._zod.def;
      if (field.type === "string" && field.format === "uuid") {
        if (name === "templateId") fields.push({ name, kind: "template" });
        else if (name in ID_FIELDS) fields.push({ name, kind: ID_FIELDS[name as keyof typeof ID_FIELDS] });
        else throw new Error(`id field '${name}' has no object kind in the isolation matrix`);
      } else if (name in SAMPLE_VALUES) fields.push({ name, kind: "value" });
      else throw new Error(`field '${name}' has no sample value in the isolation matrix`);
    }
  }
  return fields;
}

let t: TestDatabase;
let platform: Awaited<ReturnType<typeof setupPlatform>>;
let a: Awaited<ReturnType<typeof setupTenant>>;
let b: Awaited<ReturnType<typeof setupTenant>>;
const aObjects: Record<ObjectKind, string[]> = { vm: [], operation: [], disk: [], network: [], realm: [], grant: [], session: [], org: [], invitation: [], member: [] };
/** Realm B's own objects: for nested inputs that mix B's ids with one of A's. */
const bOwn: Partial<Record<ObjectKind, string>> = {};
let operator: { id: string };

beforeAll(async () => {
  t = await createTestDatabase();
  platform = await setupPlatform(t.db);
  a = await setupTenant(t.db, "matrix-a", platform.mgmtTemplate.id);
  b = await setupTenant(t.db, "matrix-b", platform.mgmtTemplate.id);
  const owner = callerFor(t, a.members.owner);
  for (const [name, state] of [["a-running", "running"], ["a-stopped", "stopped"]] as const) {
    const { vmId } = await owner.vm.create({ name, templateId: platform.template.id });
    await t.db.operation.updateMany({ where: { vmId }, data: { status: "succeeded" } });
    await t.db.vm.update({ where: { realmId_id: { realmId: a.realmId, id: vmId } }, data: { observedState: state } });
  }
  const vms = await t.db.vm.findMany({ where: { realmId: a.realmId } }); // includes the management VM
  aObjects.vm = vms.map((v) => v.id);
  aObjects.operation = (await t.db.operation.findMany({ where: { realmId: a.realmId } })).map((o) => o.id);
  aObjects.realm = [a.realmId];
  aObjects.org = [a.orgId];
  // A pending invitation of A and a member of A (not its owner: the rightful call may remove it).
  aObjects.invitation = [(await owner.realm.invitations.create({ email: "matrix-a-invitee@test.local", role: "viewer" })).invitationId];
  const aMember = await createUser(t.db, "matrix-a-member");
  await t.db.membership.create({ data: { orgId: a.orgId, userId: aMember.id, role: "viewer" } });
  aObjects.member = [aMember.id];
  aObjects.disk = [(await owner.disk.create({ name: "a-disk", sizeGb: 10 })).diskId];
  aObjects.network = [(await owner.network.create({ name: "a-net" })).networkId];
  const bOwner = callerFor(t, b.members.owner);
  const bVm = await bOwner.vm.create({ name: "b-vm", templateId: platform.template.id });
  await t.db.operation.updateMany({ where: { vmId: bVm.vmId }, data: { status: "succeeded" } });
  await t.db.vm.update({ where: { id: bVm.vmId }, data: { observedState: "running" } });
  Object.assign(bOwn, {
    vm: bVm.vmId,
    operation: bVm.operationId,
    disk: (await bOwner.disk.create({ name: "b-disk", sizeGb: 10 })).diskId,
    network: (await bOwner.network.create({ name: "b-net" })).networkId,
    realm: b.realmId,
    org: b.orgId,
    invitation: (await bOwner.realm.invitations.create({ email: "matrix-b-invitee@test.local", role: "viewer" })).invitationId,
    member: b.members.viewer.id,
  });
  operator = await createUser(t.db, "matrix-ops", true);
  const grant = await callerFor(t, operator).operator.breakGlass.request({ realmId: a.realmId, reason: "matrix fixture grant", minutes: 5 });
  aObjects.grant = [grant.grantId];
  // A session of realm A's owner (another browser): B must not learn of it or end it.
  aObjects.session = [(await startSession(t.db, a.members.owner.id, { userAgent: "matrix", clientAddress: null })).sid];
});
afterAll(() => t.drop());

function inputFor(fields: Field[], ids: Partial<Record<ObjectKind, string>>): Record<string, unknown> | undefined {
  if (fields.length === 0) return undefined;
  return Object.fromEntries(
    fields.map((f) => [f.name, f.kind === "value" ? SAMPLE_VALUES[f.name] : f.kind === "template" ? platform.template.id : ids[f.kind]]),
  );
}

async function invoke(caller: ReturnType<typeof callerFor>, path: string, input: unknown): Promise<{ ok: true; value: unknown } | { ok: false; code: string; message: string }> {
  let target: unknown = caller;
  for (const part of path.split(".")) target = (target as Record<string, unknown>)[part];
  try {
    const value = await (target as (i: unknown) => Promise<unknown>)(input);
    return { ok: true, value };
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    return { ok: false, code: error.code, message: error.message };
  }
}

/** Row counts and a digest of every mutable column: any write shows up here. */
async function snapshot(): Promise<string> {
  const rows = await t.db.$queryRaw<{ s: string }[]>`
    SELECT concat_ws('|',
      (SELECT count(*) FROM vms), (SELECT md5(string_agg(id::text || observed_state || desired_state || coalesce(state_reason, '') || updated_at::text, ',' ORDER BY id)) FROM vms),
      (SELECT count(*) FROM operations), (SELECT md5(string_agg(id::text || status, ',' ORDER BY id)) FROM operations),
      (SELECT count(*) FROM realms), (SELECT count(*) FROM organizations), (SELECT count(*) FROM memberships),
      (SELECT count(*) FROM users), (SELECT count(*) FROM hosts), (SELECT count(*) FROM templates),
      (SELECT count(*) FROM audit_events WHERE decision = 'allow')) AS s`;
  return rows[0]!.s;
}

const isObjectKind = (k: Field["kind"]): k is ObjectKind => k in OBJECT_KINDS;
const OBJECT_KINDS = Object.fromEntries(Object.values(ID_FIELDS).map((k) => [k, true]));
const withIds = procedures.filter(([, proc]) => fieldsOf(proc).some((f) => isObjectKind(f.kind)));
const withoutIds = procedures.filter(([, proc]) => !withIds.some(([, p]) => p === proc) && proc._def.type !== "subscription");

describe("isolation matrix (layer 1)", () => {
  it("enumerates the router", () => {
    expect(procedures.length).toBeGreaterThanOrEqual(10);
    expect(withIds.map(([path]) => path)).toEqual(expect.arrayContaining(["vm.get", "vm.start", "vm.stop", "vm.destroy", "vm.history"]));
  });

  it.each(withIds.map(([path, proc]) => [path, proc] as const))("%s: B gets exactly what a random id gets, for every A object", async (path, proc) => {
    const fields = fieldsOf(proc);
    const caller = callerFor(t, b.members.owner);
    const before = await snapshot();
    let calls = 0;
    const firstOfEach = Object.fromEntries(Object.entries(aObjects).map(([k, ids]) => [k, ids[0]]));
    const randomOfEach = () => Object.fromEntries(Object.keys(aObjects).map((k) => [k, randomUUID()]));
    for (const kind of new Set(fields.map((f) => f.kind).filter(isObjectKind))) {
      for (const id of aObjects[kind]) {
        const foreign = await invoke(caller, path, inputFor(fields, { ...firstOfEach, [kind]: id }));
        const random = await invoke(caller, path, inputFor(fields, { ...randomOfEach(), [kind]: randomUUID() }));
        expect(foreign.ok, `${path} succeeded on realm A's ${kind} ${id}`).toBe(false);
        expect(foreign).toEqual(random);
        expect(foreign).toMatchObject({ code: "NOT_FOUND" });
        // Nested: B's own objects everywhere else, one of A's in this field.
        const mixedForeign = await invoke(caller, path, inputFor(fields, { ...bOwn, [kind]: id }));
        const mixedRandom = await invoke(caller, path, inputFor(fields, { ...bOwn, [kind]: randomUUID() }));
        expect(mixedForeign.ok, `${path} succeeded with B's objects and A's ${kind}`).toBe(false);
        expect(mixedForeign).toEqual(mixedRandom);
        calls++;
      }
    }
    expect(calls).toBeGreaterThan(0);
    expect(await snapshot()).toBe(before);
  });

  it.each(withoutIds.map(([path, proc]) => [path, proc] as const))("%s: nothing of realm A in B's answer", async (path, proc) => {
    const result = await invoke(callerFor(t, b.members.owner), path, inputFor(fieldsOf(proc), {}));
    const text = JSON.stringify(result);
    for (const id of [a.realmId, a.orgId, ...aObjects.vm, ...aObjects.operation]) expect(text).not.toContain(id);
    expect(text).not.toContain(`c${a.category.categoryLow},c${a.category.categoryHigh}`);
  });

  /** What a rightful call presupposes, set up by the test itself rather than left behind by another test. */
  const PRECONDITIONS: Record<string, (input: Record<string, unknown>) => Promise<unknown>> = {
    // Removing a conflict set needs one to remove (conflicts.add's test may or may not have run).
    "operator.conflicts.remove": ({ realmA, realmB }) => {
      const [realmLow, realmHigh] = [realmA as string, realmB as string].sort() as [string, string];
      return t.db.realmConflict.upsert({
        where: { realmLow_realmHigh: { realmLow, realmHigh } },
        create: { realmLow, realmHigh, reason: "matrix fixture conflict", createdBy: operator.id },
        update: {},
      });
    },
  };

  it.each(withIds.map(([path, proc]) => [path, proc] as const))("%s: the rightful caller is not over-blocked", async (path, proc) => {
    const fields = fieldsOf(proc);
    // Realm procedures: realm A's owner; platform procedures: an operator.
    const caller = callerFor(t, path.startsWith("operator.") ? operator : a.members.owner);
    const guest = (await t.db.vm.findFirstOrThrow({ where: { realmId: a.realmId, name: "a-running" } })).id;
    const input = inputFor(fields, { ...Object.fromEntries(Object.entries(aObjects).map(([k, ids]) => [k, ids[0]])), vm: guest, realm: a.realmId });
    // A pair of realms (a conflict set) needs two different ones.
    if (input && "realmB" in input) input.realmB = b.realmId;
    await PRECONDITIONS[path]?.(input ?? {});
    const result = await invoke(caller, path, input);
    // It may be refused by the state machine or the in-flight rule, never by the boundary. The
    // decommissioning confirmation is deliberately wrong (BAD_REQUEST, a field error): realm A's
    // members must outlive this test.
    const refusals = path === "operator.organizations.decommission" ? ["BAD_REQUEST"] : ["PRECONDITION_FAILED", "CONFLICT"];
    if (!result.ok) expect(refusals).toContain(result.code);
  });
});
