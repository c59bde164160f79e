import { z } from "zod";
import { dateTime, pageInput, pageOf } from "../../../contracts/api";
import { FLASK_POLICY_MAX_BYTES } from "../../../contracts/agent";
import { transaction } from "../../../db/client";
import { continueRollout, policyOverview, policyVersions, rollback as rollbackPolicy, setHostBoolean, startRollout, uploadPolicy } from "../../../services/policy-rollout";
import { operatorProcedure } from "../../trpc";
import { operatorRoute } from "./openapi";

/**
 * The fleet's FLASK policy, for platform operators only (operatorProcedure: a tenant gets
 * NOT_FOUND, like any page that is not theirs; an API token never carries operator powers).
 * Upload a version (validated at once), canary it on one host, continue host by host or
 * automatically, roll back in one action, set a boolean on a host. The worker does the loading
 * (services/policy-rollout.ts, worker/policy-sync.ts); these procedures only record intent.
 */

const validationCheck = z.object({ name: z.string(), ok: z.boolean(), reasons: z.array(z.string()) });
const countDiff = z.object({ added: z.number().int(), removed: z.number().int() });
const diff = z
  .object({ types: countDiff, classes: countDiff, rules: countDiff, permissions: countDiff, booleans: countDiff })
  .meta({ id: "FlaskPolicyDiff", description: "Counts added/removed: declared types, classes, allow rules (source, target, class), granted permissions, booleans" });
const version = z
  .object({
    id: z.uuid(),
    version: z.number().int(),
    fileName: z.string(),
    format: z.enum(["text", "binary"]),
    sha256: z.string(),
    sizeBytes: z.number().int(),
    isValid: z.boolean(),
    isBuiltin: z.boolean(),
    validation: z.object({ ok: z.boolean(), checks: z.array(validationCheck) }),
    diff: diff.nullable().meta({ description: "Against the fleet's policy when it was uploaded (null: it did not compile)" }),
    createdAt: dateTime,
  })
  .meta({ id: "FlaskPolicyVersion" });
const versionRef = z.object({ id: z.uuid(), version: z.number().int(), sha256: z.string() });
const difference = z.object({ source: z.string(), target: z.string(), tclass: z.string(), origin: z.string(), granted: z.array(z.string()), revoked: z.array(z.string()) });
const comparison = z.object({ compared: z.number().int(), differing: z.number().int(), differences: z.array(difference) });

type StoredVersion = Awaited<ReturnType<typeof uploadPolicy>>["policy"];
const presentVersion = (v: StoredVersion) => ({
  id: v.id,
  version: v.version,
  fileName: v.fileName,
  format: v.format as "text" | "binary",
  sha256: v.sha256,
  sizeBytes: v.sizeBytes,
  isValid: v.isValid,
  isBuiltin: v.isBuiltin,
  validation: v.validation as z.infer<typeof version>["validation"],
  diff: v.diff as z.infer<typeof diff> | null,
  createdAt: v.createdAt,
});

export const versions = operatorProcedure
  .meta(operatorRoute("GET", "/operator/policy/versions", "Every FLASK policy version, newest first", "With its validation and its diff against the fleet's policy when uploaded. Pages with `cursor` (the previous page's `nextCursor`, a version's id)."))
  .input(pageInput.default({ limit: 50 }))
  .output(pageOf(version, "FlaskPolicyVersionPage"))
  .query(async ({ ctx, input }) => {
    const page = await transaction(ctx.platformDb, (tx) => policyVersions(tx, input));
    return { items: page.items.map(presentVersion), nextCursor: page.nextCursor };
  });

export const overview = operatorProcedure
  .meta(
    operatorRoute(
      "GET",
      "/operator/policy",
      "The fleet's FLASK policy: versions, rollout, what each host runs",
      "The newest 50 versions with their validation (every version, a page at a time: GET /operator/policy/versions); the current rollout; per host the assigned version, the load outcome and decision comparison, the sha256 it reports, a drift alarm (`driftSince`) when that is not the assigned version's, and its booleans.",
    ),
  )
  .input(z.object({}).strict().default({}))
  .output(
    z
      .object({
        versions: z.array(version),
        target: versionRef,
        rollout: z
          .object({
            id: z.uuid(),
            kind: z.enum(["rollout", "rollback"]),
            mode: z.enum(["manual", "automatic"]),
            status: z.enum(["canary", "rolling", "complete", "stopped", "superseded"]),
            policy: versionRef,
            previousPolicy: versionRef,
            canaryHostId: z.uuid().nullable(),
            diff: diff.nullable(),
            createdAt: dateTime,
          })
          .nullable(),
        hosts: z.array(
          z.object({
            id: z.uuid(),
            name: z.string(),
            status: z.enum(["online", "unreachable"]),
            assigned: versionRef.nullable(),
            loadState: z.enum(["pending", "loaded", "failed"]).nullable(),
            loadError: z.string().nullable(),
            comparison: comparison.nullable(),
            reportedSha256: z.string().nullable(),
            reportedAt: dateTime.nullable(),
            driftSince: dateTime.nullable().meta({ description: "Set while the host runs another policy than the one assigned (an alarm)" }),
            booleans: z.record(z.string(), z.boolean()),
            booleanRequests: z.array(z.object({ name: z.string(), value: z.boolean(), state: z.enum(["pending", "applied", "failed"]), error: z.string().nullable() })),
          }),
        ),
      })
      .meta({ id: "FlaskPolicyOverview" }),
  )
  .query(async ({ ctx }) => {
    const o = await transaction(ctx.platformDb, (tx) => policyOverview(tx));
    const ref = (v: { id: string; version: number; sha256: string }) => ({ id: v.id, version: v.version, sha256: v.sha256 });
    return {
      versions: o.versions.map(presentVersion),
      target: o.target,
      rollout: o.rollout && {
        id: o.rollout.id,
        kind: o.rollout.kind as "rollout" | "rollback",
        mode: o.rollout.mode as "manual" | "automatic",
        status: o.rollout.status as "canary" | "rolling" | "complete" | "stopped" | "superseded",
        policy: ref(o.rollout.policy),
        previousPolicy: ref(o.rollout.previousPolicy),
        canaryHostId: o.rollout.canaryHostId,
        diff: o.rollout.diff as z.infer<typeof diff> | null,
        createdAt: o.rollout.createdAt,
      },
      hosts: o.hosts.map((h) => ({
        ...h,
        loadState: h.loadState as "pending" | "loaded" | "failed" | null,
        comparison: h.comparison as z.infer<typeof comparison> | null,
        booleanRequests: h.booleanRequests.map((b) => ({ ...b, state: b.state as "pending" | "applied" | "failed" })),
      })),
    };
  });

export const upload = operatorProcedure
  .meta(
    operatorRoute(
      "POST",
      "/operator/policy/versions",
      "Upload a FLASK policy version",
      `Policy text (policy.conf) or checkpolicy's binary (policy.30), base64, at most ${FLASK_POLICY_MAX_BYTES / 1024} KiB. Validated at once and stored either way: compiles (errors name file:line), declares what the realm model needs, passes the golden decisions, and no realm loses access to its own VMs. The same bytes again answer with the stored version (\`existing\`).`,
    ),
  )
  .input(
    z
      .object({
        fileName: z.string().trim().min(1, "fileName is required").max(128, "fileName must be at most 128 characters"),
        content: z.base64({ error: "content must be the file's bytes in base64" }).max(Math.ceil(FLASK_POLICY_MAX_BYTES / 3) * 4 + 4, `the policy file must be at most ${FLASK_POLICY_MAX_BYTES / 1024} KiB`),
      })
      .strict(),
  )
  .output(z.object({ version, existing: z.boolean() }))
  .mutation(async ({ ctx, input }) => {
    const bytes = Buffer.from(input.content, "base64");
    const r = await transaction(ctx.platformDb, (tx) => uploadPolicy(tx, { fileName: input.fileName, bytes }, { userId: ctx.user.id, requestId: ctx.requestId }), { timeout: 30_000 });
    return { version: presentVersion(r.policy), existing: r.existing };
  });

export const canary = operatorProcedure
  .meta(operatorRoute("POST", "/operator/policy/rollouts", "Start a rollout: load a validated version on one host (the canary)", "The worker loads it there; the host compares its decisions old vs new (the golden cases and its domains' label pairs), shown in the overview. Refused (412) for a version that failed validation."))
  .input(z.object({ policyId: z.uuid({ error: "policyId must be a valid id" }), canaryHostId: z.uuid({ error: "canaryHostId must be a valid id" }) }).strict())
  .output(z.object({ rolloutId: z.uuid() }))
  .mutation(async ({ ctx, input }) => {
    const r = await transaction(ctx.platformDb, (tx) => startRollout(tx, input, { userId: ctx.user.id, requestId: ctx.requestId }), { timeout: 30_000 });
    return { rolloutId: r.id };
  });

export const proceed = operatorProcedure
  .meta(operatorRoute("POST", "/operator/policy/rollouts/{rolloutId}/continue", "Continue a rollout after its canary", "`manual`: the next host (by name); `automatic`: host by host without asking, stopping at the first host that refuses. Refused (412) until the canary loaded the version."))
  .input(z.object({ rolloutId: z.uuid({ error: "rolloutId must be a valid id" }), mode: z.enum(["manual", "automatic"], { error: "mode must be manual or automatic" }).default("manual") }).strict())
  .output(z.object({ host: z.string().nullable().meta({ description: "The host assigned now; null: every host has it" }) }))
  .mutation(({ ctx, input }) => transaction(ctx.platformDb, (tx) => continueRollout(tx, input, { userId: ctx.user.id, requestId: ctx.requestId })));

export const rollback = operatorProcedure
  .meta(operatorRoute("POST", "/operator/policy/rollback", "Roll back to the previous version", "Every host is assigned the version the fleet ran before the current rollout, at once."))
  .input(z.object({}).strict().default({}))
  .output(z.object({ rolloutId: z.uuid() }))
  .mutation(async ({ ctx }) => {
    const r = await transaction(ctx.platformDb, (tx) => rollbackPolicy(tx, { userId: ctx.user.id, requestId: ctx.requestId }), { timeout: 30_000 });
    return { rolloutId: r.id };
  });

export const setBoolean = operatorProcedure
  .meta(operatorRoute("POST", "/operator/policy/hosts/{hostId}/booleans", "Set a FLASK boolean on one host", "`xl setbool` through the host's agent (by the worker); the name must be a boolean the host's policy declares. Audited."))
  .input(
    z
      .object({
        hostId: z.uuid({ error: "hostId must be a valid id" }),
        name: z.string().regex(/^[A-Za-z0-9_]{1,128}$/, "name must be a boolean's name"),
        value: z.boolean({ error: "value must be true or false" }),
      })
      .strict(),
  )
  .output(z.object({ requested: z.literal(true) }))
  .mutation(async ({ ctx, input }) => {
    await transaction(ctx.platformDb, (tx) => setHostBoolean(tx, input, { userId: ctx.user.id, requestId: ctx.requestId }));
    return { requested: true as const };
  });
