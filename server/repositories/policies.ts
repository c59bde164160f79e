import type { Tx } from "../db/client";
import type { Prisma } from "../generated/prisma/client";
import { cursorRow, toPage, type PageRequest } from "./pagination";

/**
 * FLASK policy versions, rollouts and what each host runs (platform rows, migration
 * flask_policy; realmgate_app has no access). Versions are immutable once inserted.
 */

const policySummary = {
  id: true,
  version: true,
  fileName: true,
  format: true,
  sha256: true,
  sizeBytes: true,
  isValid: true,
  validation: true,
  diff: true,
  diffBaseId: true,
  isBuiltin: true,
  uploadedBy: true,
  createdAt: true,
} satisfies Prisma.FlaskPolicySelect;

/** Serialises version numbering (and the built-in version's creation) across web processes. */
export async function unsafeLockPolicyVersions(platform: Tx): Promise<void> {
  await platform.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('realmgate.flask_policies'))`;
}

export async function unsafeNextPolicyVersion(platform: Tx): Promise<number> {
  const top = await platform.flaskPolicy.aggregate({ _max: { version: true } });
  return (top._max.version ?? 0) + 1;
}

export function unsafeFindBuiltinPolicy(platform: Tx) {
  return platform.flaskPolicy.findFirst({ where: { isBuiltin: true }, select: policySummary });
}

export function unsafeInsertPolicy(platform: Tx, data: Prisma.FlaskPolicyUncheckedCreateInput) {
  return platform.flaskPolicy.create({ data, select: policySummary });
}

export function unsafeListPolicies(platform: Tx, take = 50) {
  return platform.flaskPolicy.findMany({ orderBy: { version: "desc" }, take, select: policySummary });
}

/** One page of every version, newest first (version numbers are unique), older than the version the cursor (its id) names. */
export async function unsafeListPolicyPage(platform: Tx, page: PageRequest) {
  const after = await cursorRow(page.cursor, (id) => platform.flaskPolicy.findUnique({ where: { id }, select: { version: true } }));
  const rows = await platform.flaskPolicy.findMany({ where: after ? { version: { lt: after.version } } : {}, orderBy: { version: "desc" }, take: page.limit + 1, select: policySummary });
  return toPage(rows, page.limit, (row) => row.id);
}

export function unsafeFindPolicyBySha(platform: Tx, sha256: string) {
  return platform.flaskPolicy.findFirst({ where: { sha256 }, orderBy: { version: "asc" }, select: policySummary });
}

export function unsafeGetPolicy(platform: Tx, id: string) {
  return platform.flaskPolicy.findUnique({ where: { id }, select: policySummary });
}

/** A version with its bytes (to compile it again, or to push it to a host). */
export function unsafeGetPolicyContent(platform: Tx, id: string) {
  return platform.flaskPolicy.findUnique({ where: { id }, select: { id: true, version: true, fileName: true, sha256: true, content: true } });
}

/** Every realm that has (or is getting) VMs: the categories a new policy must keep working. */
export function unsafeListLiveRealmCategories(platform: Tx) {
  return platform.realm.findMany({
    where: { status: { not: "decommissioned" } },
    select: { categoryLow: true, categoryHigh: true, org: { select: { slug: true } } },
    orderBy: { createdAt: "asc" },
  });
}

export function unsafeListHostsByName(platform: Tx) {
  return platform.host.findMany({ orderBy: { name: "asc" }, select: { id: true, name: true, status: true } });
}

export function unsafeHostPolicies(platform: Tx) {
  return platform.hostFlaskPolicy.findMany({ include: { policy: { select: { id: true, version: true, sha256: true, fileName: true } } } });
}

export function unsafeHostPolicy(platform: Tx, hostId: string) {
  return platform.hostFlaskPolicy.findUnique({ where: { hostId }, include: { policy: { select: { id: true, version: true, sha256: true, fileName: true } } } });
}

/** Locks the host's row (the worker and an operator's step never interleave on one host). */
export async function unsafeLockHostPolicy(platform: Tx, hostId: string): Promise<void> {
  await platform.$queryRaw`SELECT 1 FROM "host_flask_policies" WHERE "host_id" = ${hostId}::uuid FOR UPDATE`;
}

/** Assigns a version to a host: the worker loads it on its next pass. */
export function unsafeAssignHostPolicy(platform: Tx, hostId: string, policyId: string, rolloutId: string | null) {
  const data = { policyId, rolloutId, loadState: "pending", loadError: null, comparison: undefined, updatedAt: new Date() };
  return platform.hostFlaskPolicy.upsert({
    where: { hostId },
    create: { hostId, ...data },
    update: data,
  });
}

/** A host seen for the first time: assigned the fleet's version, already loaded if it runs it. */
export async function unsafeAdoptHostPolicy(platform: Tx, hostId: string, policyId: string, isLoaded: boolean): Promise<void> {
  await platform.hostFlaskPolicy.createMany({ data: [{ hostId, policyId, loadState: isLoaded ? "loaded" : "pending" }], skipDuplicates: true });
}

export async function unsafeRecordHostReport(platform: Tx, hostId: string, report: { sha256: string | null; booleans: Record<string, boolean> | null }): Promise<void> {
  await platform.hostFlaskPolicy.update({
    where: { hostId },
    data: { reportedSha256: report.sha256, reportedBooleans: report.booleans ?? undefined, reportedAt: new Date() },
  });
}

export async function unsafeRecordHostLoad(
  platform: Tx,
  hostId: string,
  outcome: { ok: true; comparison: Prisma.InputJsonValue; sha256: string } | { ok: false; error: string },
): Promise<void> {
  await platform.hostFlaskPolicy.update({
    where: { hostId },
    data: outcome.ok
      ? { loadState: "loaded", loadError: null, comparison: outcome.comparison, reportedSha256: outcome.sha256, reportedAt: new Date(), driftSince: null, updatedAt: new Date() }
      : { loadState: "failed", loadError: outcome.error, updatedAt: new Date() },
  });
}

export async function unsafeSetHostDrift(platform: Tx, hostId: string, since: Date | null): Promise<void> {
  await platform.hostFlaskPolicy.update({ where: { hostId }, data: { driftSince: since } });
}

export function unsafeInsertRollout(platform: Tx, data: Prisma.FlaskRolloutUncheckedCreateInput) {
  return platform.flaskRollout.create({ data });
}

/** The rollout in progress or last finished (the newest that a later one did not supersede). */
export function unsafeCurrentRollout(platform: Tx) {
  return platform.flaskRollout.findFirst({
    where: { status: { not: "superseded" } },
    orderBy: { createdAt: "desc" },
    include: { policy: { select: { id: true, version: true, sha256: true, fileName: true } }, previousPolicy: { select: { id: true, version: true, sha256: true, fileName: true } } },
  });
}

export async function unsafeSupersedeRollouts(platform: Tx): Promise<void> {
  await platform.flaskRollout.updateMany({ where: { status: { in: ["canary", "rolling", "complete", "stopped"] } }, data: { status: "superseded", updatedAt: new Date() } });
}

export async function unsafeSetRolloutStatus(platform: Tx, rolloutId: string, status: "canary" | "rolling" | "complete" | "stopped"): Promise<void> {
  await platform.flaskRollout.update({ where: { id: rolloutId }, data: { status, updatedAt: new Date() } });
}

export async function unsafeUpdateRollout(platform: Tx, rolloutId: string, data: { mode: "manual" | "automatic"; status: "rolling" | "complete" }): Promise<void> {
  await platform.flaskRollout.update({ where: { id: rolloutId }, data: { ...data, updatedAt: new Date() } });
}

export function unsafeGetRollout(platform: Tx, rolloutId: string) {
  return platform.flaskRollout.findUnique({ where: { id: rolloutId } });
}

export async function unsafeLockRollout(platform: Tx, rolloutId: string): Promise<void> {
  await platform.$queryRaw`SELECT 1 FROM "flask_rollouts" WHERE "id" = ${rolloutId}::uuid FOR UPDATE`;
}

export function unsafeListHostBooleans(platform: Tx) {
  return platform.hostFlaskBoolean.findMany({ orderBy: [{ hostId: "asc" }, { name: "asc" }] });
}

export function unsafePendingHostBooleans(platform: Tx, hostId: string) {
  return platform.hostFlaskBoolean.findMany({ where: { hostId, state: "pending" }, orderBy: { name: "asc" } });
}

export async function unsafeRequestHostBoolean(platform: Tx, hostId: string, name: string, value: boolean, requestedBy: string): Promise<void> {
  const data = { value, state: "pending", error: null, requestedBy, updatedAt: new Date() };
  await platform.hostFlaskBoolean.upsert({ where: { hostId_name: { hostId, name } }, create: { hostId, name, ...data }, update: data });
}

/** Settles a boolean request unless a newer one replaced it meanwhile (same value, still pending). */
export async function unsafeSettleHostBoolean(platform: Tx, hostId: string, name: string, value: boolean, outcome: { ok: boolean; error?: string }): Promise<boolean> {
  const r = await platform.hostFlaskBoolean.updateMany({
    where: { hostId, name, value, state: "pending" },
    data: { state: outcome.ok ? "applied" : "failed", error: outcome.ok ? null : (outcome.error ?? "refused"), updatedAt: new Date() },
  });
  return r.count > 0;
}

export function unsafeFindHost(platform: Tx, hostId: string) {
  return platform.host.findUnique({ where: { id: hostId }, select: { id: true, name: true } });
}
