import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { FLASK_POLICY_MAX_BYTES, type FlaskPolicyLoadReply } from "../contracts/agent";
import type { Tx } from "../db/client";
import { DomainError, notFound } from "../errors";
import type { Prisma } from "../generated/prisma/client";
import { recordDecision } from "../repositories/audit";
import type { PageRequest } from "../repositories/pagination";
import {
  unsafeAdoptHostPolicy,
  unsafeAssignHostPolicy,
  unsafeCurrentRollout,
  unsafeFindBuiltinPolicy,
  unsafeFindHost,
  unsafeFindPolicyBySha,
  unsafeGetPolicy,
  unsafeGetPolicyContent,
  unsafeGetRollout,
  unsafeHostPolicies,
  unsafeHostPolicy,
  unsafeInsertPolicy,
  unsafeInsertRollout,
  unsafeListHostBooleans,
  unsafeListHostsByName,
  unsafeListLiveRealmCategories,
  unsafeListPolicies,
  unsafeListPolicyPage,
  unsafeLockHostPolicy,
  unsafeLockPolicyVersions,
  unsafeLockRollout,
  unsafeNextPolicyVersion,
  unsafeRecordHostLoad,
  unsafeRecordHostReport,
  unsafeRequestHostBoolean,
  unsafeSetHostDrift,
  unsafeSetRolloutStatus,
  unsafeSettleHostBoolean,
  unsafeSupersedeRollouts,
  unsafeUpdateRollout,
} from "../repositories/policies";
import { compilePolicyBytes, diffSummary, formatDiffSummary, policyFormat, policySha256, validatePolicy, type PolicyDiffSummary } from "../xen";
import { REALM_POLICY_PATH } from "../xsm";

/**
 * Operators manage the fleet's FLASK policy: upload a version (validated before anything else
 * may happen to it), roll it out canary first and host by host, roll back in one action, set
 * booleans per host. The worker carries each assignment to the host's agent (worker/
 * policy-sync.ts) and reports back through `settleHostLoad` and `recordHostReport`.
 *
 * Threat: the policy is the hypervisor layer of realm isolation. Only a version whose
 * validation passed can be assigned to any host (validation runs at upload, on the bytes
 * stored; the versions table is insert-only); every step is in the platform audit trail with
 * the diff summary; a host that runs anything but what it was assigned raises a drift alarm.
 * Only platform operators reach these functions (operatorProcedure); tenants cannot read the
 * tables at all (migration flask_policy grants nothing to realmgate_app).
 */

export type PolicyActor = { userId: string; requestId: string };

const diffOf = (json: Prisma.JsonValue | null): PolicyDiffSummary | null => (json as PolicyDiffSummary | null) ?? null;

async function compileVersion(platform: Tx, policyId: string) {
  const v = await unsafeGetPolicyContent(platform, policyId);
  if (!v) throw notFound("policy version");
  return compilePolicyBytes(v.content, v.fileName);
}

async function liveRealms(platform: Tx) {
  const realms = await unsafeListLiveRealmCategories(platform);
  return realms.map((r) => ({ categoryLow: r.categoryLow, categoryHigh: r.categoryHigh, name: r.org.slug }));
}

/** The version every host boots with (the repository's realm policy), recorded as version 1 on first use. */
export async function ensureBuiltinPolicy(platform: Tx) {
  const found = await unsafeFindBuiltinPolicy(platform);
  if (found) return found;
  await unsafeLockPolicyVersions(platform);
  const again = await unsafeFindBuiltinPolicy(platform);
  if (again) return again;
  const bytes = readFileSync(REALM_POLICY_PATH);
  const fileName = path.basename(REALM_POLICY_PATH);
  const { validation } = validatePolicy(bytes, fileName, await liveRealms(platform));
  return unsafeInsertPolicy(platform, {
    id: randomUUID(),
    version: await unsafeNextPolicyVersion(platform),
    fileName,
    format: policyFormat(bytes),
    sha256: policySha256(bytes),
    sizeBytes: bytes.length,
    content: new Uint8Array(bytes),
    isValid: validation.ok,
    validation: validation as unknown as Prisma.InputJsonValue,
    isBuiltin: true,
  });
}

/** The version the fleet is meant to run: the current rollout's, else the built-in one. */
async function fleetTarget(platform: Tx) {
  const rollout = await unsafeCurrentRollout(platform);
  return rollout ? rollout.policy.id : (await ensureBuiltinPolicy(platform)).id;
}

const FILE_NAME = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * Stores an uploaded version with its validation (stored even when it fails: the operator sees
 * why) and its diff against the fleet's target. The same bytes uploaded again answer with the
 * version already stored.
 */
export async function uploadPolicy(platform: Tx, input: { fileName: string; bytes: Buffer }, actor: PolicyActor) {
  if (input.bytes.length === 0) throw new DomainError("bad_input", "the policy file is empty", { field: "content" });
  if (input.bytes.length > FLASK_POLICY_MAX_BYTES) throw new DomainError("bad_input", `the policy file must be at most ${FLASK_POLICY_MAX_BYTES / 1024} KiB`, { field: "content" });
  if (!FILE_NAME.test(input.fileName)) throw new DomainError("bad_input", "file name: letters, digits, '.', '_' and '-' only", { field: "fileName" });
  await ensureBuiltinPolicy(platform);
  await unsafeLockPolicyVersions(platform);
  const sha256 = policySha256(input.bytes);
  const existing = await unsafeFindPolicyBySha(platform, sha256);
  if (existing) return { policy: existing, existing: true };
  const { validation, policy } = validatePolicy(input.bytes, input.fileName, await liveRealms(platform));
  const baseId = await fleetTarget(platform);
  const diff = policy ? diffSummary(await compileVersion(platform, baseId), policy) : null;
  const stored = await unsafeInsertPolicy(platform, {
    id: randomUUID(),
    version: await unsafeNextPolicyVersion(platform),
    fileName: input.fileName,
    format: policyFormat(input.bytes),
    sha256,
    sizeBytes: input.bytes.length,
    content: new Uint8Array(input.bytes),
    isValid: validation.ok,
    validation: validation as unknown as Prisma.InputJsonValue,
    diff: (diff ?? undefined) as Prisma.InputJsonValue | undefined,
    diffBaseId: diff ? baseId : null,
    uploadedBy: actor.userId,
  });
  const failed = validation.checks.filter((c) => !c.ok);
  await recordDecision(platform, {
    realmId: null,
    actorId: actor.userId,
    action: "policy.upload",
    targetType: "flask-policy",
    targetId: stored.id,
    decision: validation.ok ? "allow" : "deny",
    layer: "trpc",
    reason: validation.ok
      ? `FLASK policy version ${stored.version} (${input.fileName}, sha256 ${sha256.slice(0, 12)}) validated${diff ? `: ${formatDiffSummary(diff)}` : ""}`
      : `FLASK policy version ${stored.version} (${input.fileName}) refused: ${failed.map((c) => `${c.name}: ${c.reasons[0]}`).join("; ")}`,
    requestId: actor.requestId,
    details: { version: stored.version, sha256, validation, diff } as unknown as Prisma.InputJsonValue,
  });
  return { policy: stored, existing: false };
}

const refuse = (message: string) => new DomainError("precondition_failed", message);

/** Starts a rollout: the version goes to the canary host alone; the worker loads it there and records the comparison. */
export async function startRollout(platform: Tx, input: { policyId: string; canaryHostId: string }, actor: PolicyActor) {
  const version = await unsafeGetPolicy(platform, input.policyId);
  if (!version) throw notFound("policy version");
  const host = await unsafeFindHost(platform, input.canaryHostId);
  if (!host) throw notFound("host");
  if (!version.isValid) {
    const why = (version.validation as { checks: { name: string; ok: boolean; reasons: string[] }[] }).checks.filter((c) => !c.ok).flatMap((c) => c.reasons.map((r) => `${c.name}: ${r}`));
    throw refuse(`version ${version.version} failed validation and cannot be loaded on any host: ${why.slice(0, 3).join("; ")}`);
  }
  const previousId = await fleetTarget(platform);
  if (previousId === version.id) throw refuse(`version ${version.version} is already the fleet's policy`);
  const diff = diffSummary(await compileVersion(platform, previousId), await compileVersion(platform, version.id));
  await unsafeSupersedeRollouts(platform);
  const rollout = await unsafeInsertRollout(platform, {
    id: randomUUID(),
    policyId: version.id,
    previousPolicyId: previousId,
    kind: "rollout",
    mode: "manual",
    status: "canary",
    canaryHostId: host.id,
    diff: diff as unknown as Prisma.InputJsonValue,
    startedBy: actor.userId,
  });
  await unsafeAssignHostPolicy(platform, host.id, version.id, rollout.id);
  await recordDecision(platform, {
    realmId: null,
    actorId: actor.userId,
    action: "policy.canary",
    targetType: "host",
    targetId: host.id,
    decision: "allow",
    layer: "trpc",
    reason: `FLASK policy version ${version.version} to canary host ${host.name}: ${formatDiffSummary(diff)}`,
    requestId: actor.requestId,
    details: { rolloutId: rollout.id, version: version.version, sha256: version.sha256, host: host.name, diff } as unknown as Prisma.InputJsonValue,
  });
  return rollout;
}

/** The next host (by name) the rollout has not reached yet, or null when every host has it. */
async function nextHost(platform: Tx, rolloutPolicyId: string) {
  const [hosts, assigned] = await Promise.all([unsafeListHostsByName(platform), unsafeHostPolicies(platform)]);
  const onIt = new Set(assigned.filter((a) => a.policyId === rolloutPolicyId && a.loadState !== "failed").map((a) => a.hostId));
  return hosts.find((h) => !onIt.has(h.id)) ?? null;
}

async function everyHostLoaded(platform: Tx, policyId: string): Promise<boolean> {
  const [hosts, assigned] = await Promise.all([unsafeListHostsByName(platform), unsafeHostPolicies(platform)]);
  const loaded = new Set(assigned.filter((a) => a.policyId === policyId && a.loadState === "loaded").map((a) => a.hostId));
  return hosts.every((h) => loaded.has(h.id));
}

/**
 * Continues the current rollout once its canary loaded: `manual` assigns the next host (one per
 * call), `automatic` assigns the next and lets the worker go on host by host, stopping at the
 * first host that refuses it.
 */
export async function continueRollout(platform: Tx, input: { rolloutId: string; mode: "manual" | "automatic" }, actor: PolicyActor) {
  await unsafeLockRollout(platform, input.rolloutId);
  const rollout = await unsafeCurrentRollout(platform);
  if (!rollout || rollout.id !== input.rolloutId) throw notFound("rollout");
  if (rollout.status !== "canary" && rollout.status !== "rolling") throw refuse(`the rollout is ${rollout.status}`);
  const canary = rollout.canaryHostId ? await unsafeHostPolicy(platform, rollout.canaryHostId) : null;
  if (rollout.kind === "rollout" && (!canary || canary.policyId !== rollout.policyId || canary.loadState !== "loaded")) {
    throw refuse(canary?.loadState === "failed" ? `the canary host refused the policy: ${canary.loadError}` : "the canary host has not loaded the policy yet");
  }
  const host = await nextHost(platform, rollout.policyId);
  if (host) await unsafeAssignHostPolicy(platform, host.id, rollout.policyId, rollout.id);
  await unsafeUpdateRollout(platform, rollout.id, { mode: input.mode, status: host ? "rolling" : "complete" });
  await recordDecision(platform, {
    realmId: null,
    actorId: actor.userId,
    action: "policy.rollout",
    targetType: "host",
    targetId: host?.id ?? null,
    decision: "allow",
    layer: "trpc",
    reason: host
      ? `FLASK policy version ${rollout.policy.version} to host ${host.name} (${input.mode})`
      : `FLASK policy version ${rollout.policy.version} is on every host`,
    requestId: actor.requestId,
    details: { rolloutId: rollout.id, version: rollout.policy.version, host: host?.name ?? null, mode: input.mode, diff: rollout.diff } as unknown as Prisma.InputJsonValue,
  });
  return { host: host?.name ?? null };
}

/** Rollback in one action: every host is assigned the version the fleet ran before the current rollout. */
export async function rollback(platform: Tx, actor: PolicyActor) {
  const current = await unsafeCurrentRollout(platform);
  if (!current) throw refuse("there is no rollout to roll back");
  const diff = diffOf(current.diff);
  const reversed: PolicyDiffSummary | null = diff && {
    types: { added: diff.types.removed, removed: diff.types.added },
    classes: { added: diff.classes.removed, removed: diff.classes.added },
    rules: { added: diff.rules.removed, removed: diff.rules.added },
    permissions: { added: diff.permissions.removed, removed: diff.permissions.added },
    booleans: { added: diff.booleans.removed, removed: diff.booleans.added },
  };
  await unsafeSupersedeRollouts(platform);
  const rollout = await unsafeInsertRollout(platform, {
    id: randomUUID(),
    policyId: current.previousPolicyId,
    previousPolicyId: current.policyId,
    kind: "rollback",
    mode: "automatic",
    status: "rolling",
    diff: (reversed ?? undefined) as Prisma.InputJsonValue | undefined,
    startedBy: actor.userId,
  });
  const hosts = await unsafeListHostsByName(platform);
  for (const h of hosts) await unsafeAssignHostPolicy(platform, h.id, current.previousPolicyId, rollout.id);
  await recordDecision(platform, {
    realmId: null,
    actorId: actor.userId,
    action: "policy.rollback",
    targetType: "flask-policy",
    targetId: current.previousPolicyId,
    decision: "allow",
    layer: "trpc",
    reason: `FLASK policy rolled back from version ${current.policy.version} to version ${current.previousPolicy.version} on ${hosts.length} host(s)${reversed ? `: ${formatDiffSummary(reversed)}` : ""}`,
    requestId: actor.requestId,
    details: { rolloutId: rollout.id, from: current.policy.version, to: current.previousPolicy.version, diff: reversed } as unknown as Prisma.InputJsonValue,
  });
  return rollout;
}

/** Sets a boolean on one host (the worker applies it); the name must be one the host's policy declares. */
export async function setHostBoolean(platform: Tx, input: { hostId: string; name: string; value: boolean }, actor: PolicyActor) {
  const host = await unsafeFindHost(platform, input.hostId);
  if (!host) throw notFound("host");
  const state = await unsafeHostPolicy(platform, host.id);
  const booleans = (state?.reportedBooleans ?? null) as Record<string, boolean> | null;
  if (!booleans || !(input.name in booleans)) throw new DomainError("bad_input", `host ${host.name}'s policy declares no boolean '${input.name}'`, { field: "name" });
  await unsafeRequestHostBoolean(platform, host.id, input.name, input.value, actor.userId);
  await recordDecision(platform, {
    realmId: null,
    actorId: actor.userId,
    action: "policy.boolean",
    targetType: "host",
    targetId: host.id,
    decision: "allow",
    layer: "trpc",
    reason: `FLASK boolean ${input.name} = ${input.value} on host ${host.name} (was ${booleans[input.name]})`,
    requestId: actor.requestId,
    details: { host: host.name, name: input.name, value: input.value, before: booleans[input.name] ?? null, diff: { booleans: { changed: booleans[input.name] === input.value ? 0 : 1 } } },
  });
}

// ---------------------------------------------------------------------------------------
// The worker's side: what a host reports, the outcome of a load or a boolean.
// ---------------------------------------------------------------------------------------

export type HostPolicyWork = { load: { policyId: string; version: number; fileName: string; sha256: string; content: Uint8Array } | null };

/**
 * Records what a host reports running. A host seen for the first time is assigned the fleet's
 * version (loaded already if it reports that version's hash, else pending). A host that loaded its assigned version and now reports another hash
 * raises the drift alarm (audited once, when it starts; and when it ends). Returns the load to
 * carry out, if the host's assignment is pending.
 */
export async function recordHostReport(
  platform: Tx,
  host: { id: string; name: string },
  report: { sha256: string; booleans: Record<string, boolean>; askedAt: Date },
  requestId: string,
): Promise<HostPolicyWork> {
  if (!(await unsafeHostPolicy(platform, host.id))) {
    const target = await unsafeGetPolicy(platform, await fleetTarget(platform));
    await unsafeAdoptHostPolicy(platform, host.id, target!.id, target!.sha256 === report.sha256);
  }
  await unsafeLockHostPolicy(platform, host.id);
  const state = (await unsafeHostPolicy(platform, host.id))!;
  // Only a row older than the question can be judged by the answer: a load settled (by another
  // worker, or while the status call was in flight) is newer than what the host reported.
  if (state.updatedAt > report.askedAt) return { load: null };
  await unsafeRecordHostReport(platform, host.id, { sha256: report.sha256, booleans: report.booleans });
  if (state.loadState === "pending") {
    const v = await unsafeGetPolicyContent(platform, state.policyId);
    return { load: v && { policyId: v.id, version: v.version, fileName: v.fileName, sha256: v.sha256, content: v.content } };
  }
  if (state.loadState === "loaded" && state.rolloutId) await advanceRollout(platform, state.rolloutId);
  const drifted = state.loadState === "loaded" && report.sha256 !== state.policy.sha256;
  if (drifted && !state.driftSince) {
    await unsafeSetHostDrift(platform, host.id, new Date());
    await recordDecision(platform, {
      realmId: null,
      actorId: null,
      action: "alarm.flask_policy_drift",
      targetType: "host",
      targetId: host.id,
      decision: "deny",
      layer: "hypervisor",
      reason: `policy drift: host ${host.name} runs FLASK policy sha256 ${report.sha256.slice(0, 12)}, not version ${state.policy.version} (${state.policy.sha256.slice(0, 12)}) it was assigned`,
      requestId,
      details: { host: host.name, reported: report.sha256, assigned: state.policy.sha256, version: state.policy.version },
    });
  } else if (!drifted && state.driftSince) {
    await unsafeSetHostDrift(platform, host.id, null);
    await recordDriftCleared(platform, host, state.policy.version, report.sha256, requestId);
  }
  return { load: null };
}

async function recordDriftCleared(platform: Tx, host: { id: string; name: string }, version: number, sha256: string, requestId: string): Promise<void> {
  await recordDecision(platform, {
    realmId: null,
    actorId: null,
    action: "policy.drift-cleared",
    targetType: "host",
    targetId: host.id,
    decision: "allow",
    layer: "worker",
    reason: `host ${host.name} runs its assigned FLASK policy version ${version} again`,
    requestId,
    details: { host: host.name, sha256 },
  });
}

/** Records the outcome of loading `policyId` on a host (unless the host was assigned something else meanwhile) and moves its rollout on. */
export async function settleHostLoad(platform: Tx, host: { id: string; name: string }, policyId: string, reply: FlaskPolicyLoadReply, requestId: string): Promise<void> {
  await unsafeLockHostPolicy(platform, host.id);
  const state = await unsafeHostPolicy(platform, host.id);
  if (!state || state.policyId !== policyId || state.loadState !== "pending") return;
  const rollout = state.rolloutId ? await unsafeGetRollout(platform, state.rolloutId) : null;
  const ok = reply.ok && reply.sha256 === state.policy.sha256;
  const error = reply.ok ? `the host reports sha256 ${reply.sha256} after the load` : `${reply.error?.code ?? "error"}: ${reply.error?.message ?? "refused"}`;
  await unsafeRecordHostLoad(platform, host.id, ok ? { ok: true, comparison: reply.comparison as unknown as Prisma.InputJsonValue, sha256: reply.sha256 } : { ok: false, error });
  if (ok && state.driftSince) await recordDriftCleared(platform, host, state.policy.version, reply.sha256, requestId);
  const diff = diffOf(rollout?.diff ?? null);
  await recordDecision(platform, {
    realmId: null,
    actorId: rollout?.startedBy ?? null,
    action: rollout?.kind === "rollback" ? "policy.rollback.load" : "policy.load",
    targetType: "host",
    targetId: host.id,
    decision: ok ? "allow" : "deny",
    layer: "hypervisor",
    reason: ok
      ? `host ${host.name} loaded FLASK policy version ${state.policy.version} (${state.policy.sha256.slice(0, 12)}); ${reply.comparison?.differing ?? 0} of ${reply.comparison?.compared ?? 0} compared decisions differ${diff ? `; ${formatDiffSummary(diff)}` : ""}`
      : `host ${host.name} refused FLASK policy version ${state.policy.version}: ${error}`,
    requestId,
    details: { host: host.name, version: state.policy.version, sha256: state.policy.sha256, avc: reply.avc, comparison: reply.comparison, diff } as unknown as Prisma.InputJsonValue,
  });
  if (!rollout) return;
  if (!ok) {
    await unsafeLockRollout(platform, rollout.id);
    const current = await unsafeGetRollout(platform, rollout.id);
    if (current && current.status !== "superseded") await unsafeSetRolloutStatus(platform, rollout.id, "stopped");
    return;
  }
  await advanceRollout(platform, rollout.id);
}

/**
 * Moves a rolling rollout on from what the hosts have loaded: complete once every host has the
 * version; in automatic mode, the next host once none is loading. Idempotent and derived from
 * the rows, so it runs after every settled load and on every report of a loaded host: two loads
 * settled at once (hosts are polled in parallel) cannot leave it rolling.
 */
async function advanceRollout(platform: Tx, rolloutId: string): Promise<void> {
  // Read first: a finished rollout (the common case on every poll) takes no lock.
  if ((await unsafeGetRollout(platform, rolloutId))?.status !== "rolling") return;
  await unsafeLockRollout(platform, rolloutId);
  const rollout = await unsafeGetRollout(platform, rolloutId);
  if (!rollout || rollout.status !== "rolling") return;
  if (await everyHostLoaded(platform, rollout.policyId)) {
    await unsafeSetRolloutStatus(platform, rollout.id, "complete");
    return;
  }
  if (rollout.mode !== "automatic" || rollout.kind !== "rollout") return;
  const loading = (await unsafeHostPolicies(platform)).some((h) => h.rolloutId === rollout.id && h.policyId === rollout.policyId && h.loadState === "pending");
  if (loading) return;
  const next = await nextHost(platform, rollout.policyId);
  if (next) await unsafeAssignHostPolicy(platform, next.id, rollout.policyId, rollout.id);
}

export async function settleHostBoolean(platform: Tx, host: { id: string; name: string }, request: { name: string; value: boolean }, reply: { ok: boolean; error?: { code: string; message: string } }, requestId: string) {
  if (!(await unsafeSettleHostBoolean(platform, host.id, request.name, request.value, { ok: reply.ok, error: reply.error?.message }))) return;
  await recordDecision(platform, {
    realmId: null,
    actorId: null,
    action: "policy.boolean.apply",
    targetType: "host",
    targetId: host.id,
    decision: reply.ok ? "allow" : "deny",
    layer: "hypervisor",
    reason: reply.ok ? `host ${host.name} set FLASK boolean ${request.name} = ${request.value}` : `host ${host.name} refused FLASK boolean ${request.name}: ${reply.error?.message}`,
    requestId,
    details: { host: host.name, name: request.name, value: request.value },
  });
}

// ---------------------------------------------------------------------------------------
// What the operator page shows.
// ---------------------------------------------------------------------------------------

/** Every version, a page at a time, newest first (the overview carries only the newest 50). */
export async function policyVersions(platform: Tx, page: PageRequest) {
  await ensureBuiltinPolicy(platform);
  return unsafeListPolicyPage(platform, page);
}

export async function policyOverview(platform: Tx) {
  const builtin = await ensureBuiltinPolicy(platform);
  const [versions, rollout, hosts, states, booleans] = await Promise.all([
    unsafeListPolicies(platform),
    unsafeCurrentRollout(platform),
    unsafeListHostsByName(platform),
    unsafeHostPolicies(platform),
    unsafeListHostBooleans(platform),
  ]);
  const byHost = new Map(states.map((s) => [s.hostId, s]));
  const target = rollout?.policy ?? builtin;
  return {
    versions,
    target: { id: target.id, version: target.version, sha256: target.sha256 },
    rollout,
    hosts: hosts.map((h) => {
      const s = byHost.get(h.id);
      return {
        id: h.id,
        name: h.name,
        status: h.status,
        assigned: s ? { id: s.policy.id, version: s.policy.version, sha256: s.policy.sha256 } : null,
        loadState: s?.loadState ?? null,
        loadError: s?.loadError ?? null,
        comparison: s?.comparison ?? null,
        reportedSha256: s?.reportedSha256 ?? null,
        reportedAt: s?.reportedAt ?? null,
        driftSince: s?.driftSince ?? null,
        booleans: (s?.reportedBooleans ?? {}) as Record<string, boolean>,
        booleanRequests: booleans.filter((b) => b.hostId === h.id).map((b) => ({ name: b.name, value: b.value, state: b.state, error: b.error })),
      };
    }),
  };
}
