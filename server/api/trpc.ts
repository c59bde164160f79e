import { initTRPC } from "@trpc/server";
import superjson from "superjson";
import type { OpenApiMeta } from "trpc-to-openapi";
import { z, ZodError } from "zod";
import { authenticateToken, type TokenCaller } from "../auth/api-tokens";
import { hasSecondFactor, MFA_REQUIRED_MESSAGE } from "../auth/mfa";
import { realmRequestIdentity, validateSession, validateSessionWithMembership, validateSessionWithMemberships, type LiveSessionUser, type SessionMembership } from "../auth/sessions";
import { idempotencyKey, vmIdInput } from "../contracts/vm";
import { withRealm, type Prefetch, type Tx } from "../db/client";
import { DomainError, notFound } from "../errors";
import { decidePermission, ROLE_GRANTS, type Permission, type PermissionDecision, type Role } from "../policy/permissions";
import { recordDecision, unsafeRecordForeignDenial, unsafeVmOwnerRealm } from "../repositories/audit";
import { unsafeFindActiveBreakGlass } from "../repositories/break-glass";
import { unsafeFindMembershipForUser, unsafeHasAnyMembership } from "../repositories/memberships";
import { isMemberAccessChanged } from "../repositories/sessions";
import { findVmInRealm, findVmInRealmAhead, lockVm, lockVmAhead } from "../repositories/vms";
import { claimOrReplay } from "../services/idempotency";
import { awaitOperation } from "../services/operations";
import type { Context } from "./context";
import { toTRPCError } from "./errors";

/**
 * The procedure chain (threat: a caller reaching another realm's objects, or acting beyond its
 * role). Each step narrows ctx; the realm always comes from the caller's membership, never from
 * input; objects are loaded inside that realm, so a foreign id answers exactly like a missing one.
 */

/**
 * Procedure metadata: the REST surface (trpc-to-openapi's `openapi`: method, path, summary) and
 * `awaits`, for procedures whose answer names an operation the caller may wait for (`?wait=`):
 * "accepted" (a lifecycle request: `{ operationId }`, answered 202 with its Location) or
 * "operation" (the operation itself).
 */
export type ApiMeta = OpenApiMeta & {
  awaits?: "accepted" | "operation";
  /**
   * The procedure's statements look rows up by key only: its realm transaction runs on cached
   * generic plans instead of planning each statement again (db/client.ts withRealm).
   */
  genericPlans?: boolean;
  /**
   * The statement the procedure starts with, from its realm and its input as sent (not yet
   * validated), to run in the realm transaction's first message (db/client.ts Prefetch): one
   * round trip fewer. Its rows are used only if the procedure then runs exactly that statement
   * with exactly those values; a malformed or foreign id reads nothing, as the procedure would.
   */
  prefetch?: (realmId: string, input: unknown) => Prefetch | null;
  /** A session procedure that lists the user's memberships: read with the session, in one statement (ctx.memberships). */
  memberships?: boolean;
};

/** The `vmId` of a VM procedure's input as sent, if it is a string. */
export function vmIdOf(input: unknown): string | null {
  const vmId = (input as { vmId?: unknown } | null | undefined)?.vmId;
  return typeof vmId === "string" ? vmId : null;
}

const t = initTRPC.context<Context>().meta<ApiMeta>().create({
  transformer: superjson,
  // Keeps live-update streams alive through idle periods; the client reconnects after silence.
  sse: { ping: { enabled: true, intervalMs: 10_000 }, client: { reconnectAfterInactivityMs: 25_000 } },
  errorFormatter({ shape, error }) {
    const zod = error.cause instanceof ZodError ? error.cause : null;
    const domain = error.cause instanceof DomainError ? error.cause : null;
    const field = typeof domain?.details.field === "string" ? domain.details.field : null;
    return {
      ...shape,
      message: zod ? "invalid input" : shape.message,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        // Field errors name the field and the problem; never a stack trace.
        fieldErrors: zod ? z.flattenError(zod).fieldErrors : field ? { [field]: [domain!.message] } : undefined,
        formErrors: zod ? z.flattenError(zod).formErrors : undefined,
      },
    };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Domain errors become tRPC errors through the one table in errors.ts. */
export const publicProcedure = t.procedure.use(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const { cause, code } = result.error;
    // Domain errors map through the table; any other failure is a bug or an outage, and its
    // text (a driver message, a stack) never reaches the caller.
    if (cause instanceof DomainError) throw toTRPCError(cause);
    if (code === "INTERNAL_SERVER_ERROR" && !(cause instanceof ZodError)) {
      console.error(`[api] internal error:`, cause ?? result.error);
      throw toTRPCError(cause ?? result.error);
    }
  }
  return result;
});

/**
 * The signed-in person, checked per request against the server-side session row
 * (auth/sessions.ts): sign-out, a revoked session, "sign out everywhere", a password change or a
 * deleted user end the JWT at once, copies of the cookie included.
 */
async function liveSession<T>(ctx: Context, validate: (platform: Context["platformDb"], claim: NonNullable<Context["sessionUser"]>) => Promise<T | null>): Promise<T> {
  const claim = ctx.sessionUser;
  if (!claim) throw new DomainError("unauthorized", "sign in first");
  const live = await validate(ctx.platformDb, claim);
  if (!live) throw new DomainError("unauthorized", "your session has ended; sign in again");
  return live;
}

/** A signed-in person (a session): the account, MFA, invitations and every operator procedure. */
export const protectedProcedure = publicProcedure.use(async ({ ctx, next, meta }) => {
  // Deny by default: an API token works only where the realm procedures accept it below.
  if (ctx.bearer !== null) throw new DomainError("unauthorized", "API tokens work on realm procedures only; this one needs a signed-in session");
  if (meta?.memberships) {
    const { user, memberships } = await liveSession(ctx, validateSessionWithMemberships);
    return next({ ctx: { ...ctx, user, token: null, memberships } });
  }
  const user: LiveSessionUser = await liveSession(ctx, validateSession);
  return next({ ctx: { ...ctx, user, token: null, memberships: null } });
});

/**
 * A realm procedure's caller: a session, or an API token (auth/api-tokens.ts) acting for its
 * member with at most the token's permissions. A token never carries operator powers.
 */
const callerProcedure = publicProcedure.use(async ({ ctx, next }) => {
  if (ctx.bearer === null) {
    const { user, membership, check } = await sessionIdentity(ctx);
    return next({ ctx: { ...ctx, user, token: null as TokenCaller | null, membership: membership as SessionMembership | undefined, identityCheck: check } });
  }
  // The token's lookup reads its member's membership in the token's organization too.
  const { user, token, membership } = await authenticateToken(ctx.platformDb, ctx.bearer, ctx.peer);
  return next({ ctx: { ...ctx, user, token: token as TokenCaller | null, membership: membership as SessionMembership | undefined, identityCheck: null as string | null } });
});

/**
 * A session's identity for a realm request: as liveSession, with the membership in the
 * organization the request names (null: the first) read in the same statement, possibly as an
 * earlier request read it, with the statement the realm transaction must assert it with
 * (`check`: auth/sessions.ts realmRequestIdentity). `fresh`: read it now.
 */
async function sessionIdentity(ctx: Context, fresh = false) {
  const claim = ctx.sessionUser;
  if (!claim) throw new DomainError("unauthorized", "sign in first");
  const live = await realmRequestIdentity(ctx.platformDb, claim, ctx.requestedOrg, { fresh });
  if (!live) throw new DomainError("unauthorized", "your session has ended; sign in again");
  return live;
}

/**
 * A permission for this caller: its role's grant, and for a token also the token's own list.
 * The role is the member's current one, so demoting a member narrows its tokens at once.
 */
export function decideCaller(role: string, token: TokenCaller | null, permission: Permission): PermissionDecision {
  const decision = decidePermission(role, permission);
  if (!decision.allowed || !token || token.permissions.includes(permission)) return decision;
  return { allowed: false, rule: `token:${token.name} lacks ${permission}`, reason: `API token '${token.name}' does not carry ${permission}` };
}

/** Everything the caller may do in its realm (what the UI offers; the server decides anyway). */
export function callerPermissions(role: string, token: TokenCaller | null): Permission[] {
  return [...(ROLE_GRANTS[role as Role] ?? [])].filter((p) => !token || token.permissions.includes(p));
}

/**
 * The caller's realm: its membership in the organization the request names (ctx.requestedOrg,
 * the page's `?org=`; none: its first membership), or, for a platform operator who belongs to no
 * organization, an active break-glass grant (explicit, time-bound, reasoned, audited). Nothing
 * else: the named organization is only a choice among the caller's own memberships, so a slug
 * the caller does not belong to (or that does not exist) resolves to nothing, exactly as for a
 * user without any membership.
 */
export async function resolveRealm(ctx: {
  platformDb: Context["platformDb"];
  user: { id: string; isPlatformOperator: boolean };
  requestedOrg: string | null;
  /** The membership in requestedOrg when the session check already read it (undefined: not read). */
  membership?: SessionMembership;
}) {
  const membership = ctx.membership !== undefined ? ctx.membership : await unsafeFindMembershipForUser(ctx.platformDb, ctx.user.id, ctx.requestedOrg);
  if (membership?.org.realm) {
    const { realm, requireMfa, ...org } = membership.org;
    return { org, realm, role: membership.role, breakGlassId: null, requireMfa };
  }
  if (!ctx.user.isPlatformOperator) return null;
  const [grant, isMember] = await Promise.all([
    unsafeFindActiveBreakGlass(ctx.platformDb, ctx.user.id),
    // Without a selection, no membership was found above (or only one without a realm).
    ctx.requestedOrg === null ? false : unsafeHasAnyMembership(ctx.platformDb, ctx.user.id),
  ]);
  // A grant stands in for a membership the operator does not have at all: an operator who is a
  // member somewhere gets only its memberships, and a selection names the grant's org or nothing.
  if (!grant || isMember) return null;
  if (ctx.requestedOrg !== null && grant.realm.org.slug !== ctx.requestedOrg) return null;
  const { org, ...realm } = grant.realm;
  // An operator needs a second factor to obtain a grant at all (operator/break-glass.ts).
  return { org, realm, role: grant.role, breakGlassId: grant.id, requireMfa: false };
}

/**
 * Whether a live stream's session still holds `permission` in the stream's realm, for the
 * organization the stream was opened for (a tab's ?org=), read afresh as a request's identity is
 * (vm.onChange, vm.console.stream re-check on revocations and periodically).
 */
export async function streamStillAllowed(ctx: Pick<Context, "platformDb" | "sessionUser" | "requestedOrg"> & { realm: { id: string } }, permission: Permission): Promise<boolean> {
  if (!ctx.sessionUser) return false;
  const live = await validateSessionWithMembership(ctx.platformDb, ctx.sessionUser, ctx.requestedOrg);
  if (!live) return false;
  const resolved = await resolveRealm({ platformDb: ctx.platformDb, user: live.user, requestedOrg: ctx.requestedOrg, membership: live.membership });
  return resolved?.realm.id === ctx.realm.id && decidePermission(resolved.role, permission).allowed;
}

export const realmProcedure = callerProcedure.use(async ({ ctx: callerCtx, next, meta, type, getRawInput }) => {
  let ctx = callerCtx;
  let started = false;
  const run = async () => {
    // Identity resolution reads memberships, grants and realms before any realm is set, so it
    // runs on the platform client; everything after it runs inside the realm's transaction. A
    // token resolves through its member's current membership in the token's organization (a
    // selection naming another one finds nothing); it never stands in for a break-glass grant.
    const resolved = await resolveRealm({ ...ctx, requestedOrg: ctx.token ? ctx.token.orgSlug : ctx.requestedOrg });
    if (!resolved || (ctx.token && (resolved.realm.id !== ctx.token.realmId || (ctx.requestedOrg !== null && ctx.requestedOrg !== ctx.token.orgSlug)))) {
      throw notFound("realm");
    }
    const { org, realm, role, breakGlassId, requireMfa } = resolved;
    // The organization requires MFA (organizations.require_mfa, read with the membership): one
    // more query, only for its members. The security page is not a realm procedure, so it stays
    // reachable to set a factor up.
    if (requireMfa && !(await hasSecondFactor(ctx.platformDb, ctx.user.id))) {
      throw new DomainError("forbidden", MFA_REQUIRED_MESSAGE, { rule: "organization requires MFA" });
    }
    const prefetch = meta?.prefetch ? (meta.prefetch(realm.id, await getRawInput()) ?? undefined) : undefined;
    const result = await withRealm(
      ctx.db,
      realm.id,
      async (tx) => {
        started = true;
        const result = await next({ ctx: { ...ctx, db: tx, org, realm, role, breakGlassId } });
        // Roll back whatever the procedure wrote: state and audit commit together or not at all.
        if (!result.ok) throw result.error;
        return result;
      },
      // An identity recalled from an earlier request is asserted before anything runs. A query
      // reads only: PostgreSQL refuses its writes, and its answer need not wait for COMMIT.
      { check: ctx.identityCheck ?? undefined, readOnly: type === "query", genericPlans: meta?.genericPlans === true, prefetch },
    );
    return { result, realm };
  };
  let outcome;
  try {
    outcome = await run();
  } catch (error) {
    // The recalled identity no longer holds (revoked, removed, demoted, epoch bumped): nothing
    // ran; decide on the identity as it is now, exactly as a request without memory would.
    if (started || !ctx.identityCheck || !isMemberAccessChanged(error)) throw error;
    const { user, membership } = await sessionIdentity(ctx, true);
    ctx = { ...ctx, user, membership: membership as SessionMembership | undefined, identityCheck: null };
    outcome = await run();
  }
  const { result, realm } = outcome;
  // `?wait=`: only after the commit (no transaction is held while the worker and agent work).
  if (!meta?.awaits || ctx.waitSeconds <= 0) return result;
  const data = result.data as { operationId?: string; id?: string };
  const operationId = meta.awaits === "accepted" ? data.operationId : data.id;
  if (!operationId) return result;
  const operation = await awaitOperation(ctx.db, realm.id, operationId, ctx.waitSeconds * 1000);
  return { ...result, data: meta.awaits === "accepted" ? { ...data, operation } : operation };
});

/** Requires a permission of the caller's role inside its realm; records the decision. */
export function realmAction(permission: Permission) {
  return realmProcedure.use(async ({ ctx, next, path }) => {
    const decision = decideCaller(ctx.role, ctx.token, permission);
    if (!decision.allowed) {
      // Recorded on the platform client: the realm transaction rolls back with the error. Only
      // for a request that proved it came from this app: a cross-site link must not write
      // denials in the caller's name (edge/same-origin.ts). The answer is the same either way.
      if (ctx.provenSameOrigin) {
        await recordDecision(ctx.platformDb, {
          realmId: ctx.realm.id,
          actorId: ctx.user.id,
          actorTokenId: ctx.token?.id ?? null,
          action: permission,
          targetType: "procedure",
          targetId: path,
          decision: "deny",
          layer: "trpc",
          reason: ctx.breakGlassId ? `${decision.rule} (break-glass grant ${ctx.breakGlassId})` : decision.rule,
          requestId: ctx.requestId,
        });
      }
      throw new DomainError("forbidden", decision.reason, { permission, rule: decision.rule });
    }
    const permissionRule = ctx.breakGlassId ? `${decision.rule} (break-glass grant ${ctx.breakGlassId})` : decision.rule;
    return next({ ctx: { ...ctx, permission, permissionRule } });
  });
}

/**
 * Every mutation is idempotent when its input carries an idempotencyKey: the key names one
 * request per realm, caller and procedure (its path), and a retry gets the first response
 * (services/idempotency.ts). Runs inside the realm transaction, so key and effect commit together.
 */
async function idempotently<R extends { ok: boolean }>(opts: {
  ctx: { db: Tx; realm: { id: string }; user: { id: string }; idempotencyKey: string | null };
  input: unknown;
  path: string;
  type: string;
  next: () => Promise<R>;
}): Promise<R> {
  const { idempotencyKey: inputKey, ...request } = (opts.input ?? {}) as { idempotencyKey?: string } & Record<string, unknown>;
  // The REST surface's Idempotency-Key header stands for an input key (checked like one).
  const key = inputKey ?? idempotencyKeyHeader(opts.ctx.idempotencyKey);
  if (opts.type !== "mutation" || key === undefined) return opts.next();
  const claim = await claimOrReplay(opts.ctx.db, { realmId: opts.ctx.realm.id, userId: opts.ctx.user.id, procedure: opts.path, key, request });
  // A replay answers with the stored response and runs nothing (tRPC's middleware result shape).
  if (claim.replay) return { ok: true, data: claim.response } as unknown as R;
  const result = await opts.next();
  if (result.ok) await claim.store((result as unknown as { data: unknown }).data);
  return result;
}

function idempotencyKeyHeader(value: string | null): string | undefined {
  if (value === null) return undefined;
  const parsed = idempotencyKey.safeParse(value);
  if (!parsed.success) throw new DomainError("bad_input", `Idempotency-Key: ${parsed.error.issues[0]?.message ?? "invalid"}`, { field: "Idempotency-Key" });
  return parsed.data;
}

/** A realm mutation or query with an input; mutations are idempotent by key. */
export function realmInput<I extends z.ZodType>(permission: Permission, input: I) {
  return realmAction(permission).input(input).use(idempotently);
}

/** A procedure on one VM of the caller's realm, loaded inside the realm by `load` (as ctx.vm). */
function vmProcedure<I extends z.ZodType<{ vmId: string }>, V>(permission: Permission, input: I, load: (tx: Tx, realmId: string, vmId: string) => Promise<V | null>) {
  return realmAction(permission)
    .input(input)
    .use(async ({ ctx, input, next, path }) => {
      const vm = await load(ctx.db, ctx.realm.id, input.vmId);
      if (!vm) return refuseUnknownVm(ctx, permission, path, input.vmId);
      return next({ ctx: { ...ctx, vm } });
    });
}

/**
 * A VM action (a mutation): the VM is locked and read with the operation in flight on it
 * (repositories/vms.ts lockVm), in one statement. Takes vmMutationInput (or a schema extending it).
 */
export function vmAction<I extends z.ZodType<{ vmId: string }>>(permission: Permission, input: I) {
  return vmProcedure(permission, input, lockVm)
    .use(idempotently)
    .meta({ prefetch: (realmId, raw) => lockVmAhead(realmId, vmIdOf(raw) ?? "") });
}

/** A read of one VM, loaded with its template, host and devices. */
export function vmQuery(permission: Permission) {
  return vmProcedure(permission, vmIdInput, findVmInRealm).meta({ prefetch: (realmId, raw) => findVmInRealmAhead(realmId, vmIdOf(raw) ?? "") });
}

/** A read of one VM with more input than its id (a page of its history or snapshots); takes a schema with vmId. */
export function vmQueryWith<I extends z.ZodType<{ vmId: string }>>(permission: Permission, input: I) {
  return vmProcedure(permission, input, findVmInRealm).meta({ prefetch: (realmId, raw) => findVmInRealmAhead(realmId, vmIdOf(raw) ?? "") });
}

/**
 * No such VM in the caller's realm. The caller gets the same answer either way, and its realm's
 * trail reads the same either way; only operators (details) learn whether the id was another
 * realm's. Written only for a request proven same-origin (as in realmAction).
 */
async function refuseUnknownVm(
  ctx: { provenSameOrigin: boolean; platformDb: Context["platformDb"]; realm: { id: string }; user: { id: string }; token: TokenCaller | null; requestId: string },
  permission: Permission,
  path: string,
  vmId: string,
): Promise<never> {
  if (ctx.provenSameOrigin) {
    // The owner realm is for operators only: kept beside the event where the tenant role cannot
    // read it (realmgate_private.audit_target_realms), one statement with the event.
    const owner = await unsafeVmOwnerRealm(ctx.platformDb, vmId);
    await unsafeRecordForeignDenial(ctx.platformDb, {
      realmId: ctx.realm.id,
      actorId: ctx.user.id,
      actorTokenId: ctx.token?.id ?? null,
      action: permission,
      targetType: "vm",
      targetId: null,
      decision: "deny",
      layer: "trpc",
      reason: `VM not found in this realm (${path})`,
      requestId: ctx.requestId,
      // Nothing here may differ between another realm's id and a missing one: the tenant reads
      // (and exports) these details.
      details: { unverifiedVmId: vmId },
    }, owner !== null && owner !== ctx.realm.id ? owner : null);
  }
  throw notFound("VM");
}

/** Platform operators only; tenants get NOT_FOUND, as for any page that is not theirs. */
export const operatorProcedure = protectedProcedure.use(async ({ ctx, next }) => {
  if (!ctx.user.isPlatformOperator) throw notFound("page");
  return next({ ctx });
});
