import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { getErrorShape } from "@trpc/server/unstable-core-do-not-import";
import { configuredCheckpointStore } from "../audit-chain/checkpoint";
import type { ExportFormat } from "../audit-chain/export-format";
import { auditKeys } from "../audit-chain/keys";
import type { Db } from "../db/client";
import { ORG_PARAM, orgSelection } from "../edge/realm-selection";
import { DomainError } from "../errors";
import { auditExportStream, type ExportScope } from "../services/audit-export";
import type { Context } from "./context";
import { appRouter, createCaller } from "./root";

/**
 * The audit export routes of the REST surface, streamed (trpc-to-openapi answers JSON documents
 * only): `GET /api/v1/audit/export` (a member with audit.read: its realm's trail) and
 * `GET /api/v1/operator/audit/export` (operators: any realm, the platform's chain, or all), with
 * `?format=ndjson|csv`, the trail's filters as query parameters, and `?org=` (the organization a
 * member of several exports, as the page's `?org=`).
 *
 * There is no second authorization path: the request's context is made by handleRest exactly as
 * for every REST call, and the procedure (realm.auditExport: the realm procedure chain and
 * audit.read; operator.audit.export: the operator chain) decides; its refusal becomes the same
 * problem answer any refused REST call gets. Only then does the stream start, bound to the realm
 * (or chains) the procedure returned, never to anything the request names.
 */

export const EXPORT_ROUTES = {
  "/audit/export": "realm",
  "/operator/audit/export": "operator",
} as const;

export type ExportRoute = keyof typeof EXPORT_ROUTES;

export const isExportRoute = (method: string, path: string): path is ExportRoute => method === "GET" && Object.hasOwn(EXPORT_ROUTES, path);

/** What handleRest turns into an answer: the stream, or the refusal as trpc-to-openapi would have written it. */
export type ExportAnswer = { ok: true; response: Response } | { ok: false; status: number; headers: Headers; body: string };

const CONTENT_TYPES: Record<ExportFormat, string> = { ndjson: "application/x-ndjson; charset=utf-8", csv: "text/csv; charset=utf-8" };

export async function serveAuditExport(route: ExportRoute, url: URL, ctx: Context, clients: { tenant: Db; platform: Db }, signal: AbortSignal): Promise<ExportAnswer> {
  const params = Object.fromEntries(url.searchParams);
  const { format: formatParam, [ORG_PARAM]: org, ...filterParams } = params;
  const format = formatParam ?? "ndjson";
  // A download link cannot send the organization header: `?org=<slug>` names the organization the
  // page shows (a choice among the caller's own memberships, resolved by the procedure chain as
  // the header is; a token's own organization or nothing).
  const caller = createCaller(org !== undefined && ctx.requestedOrg === null ? { ...ctx, requestedOrg: orgSelection(org) } : ctx);
  const path = EXPORT_ROUTES[route] === "realm" ? "realm.auditExport" : "operator.audit.export";
  let scope: ExportScope;
  let filter;
  try {
    // The procedure first: a caller who may not export learns nothing else, not even about `format`.
    if (EXPORT_ROUTES[route] === "realm") {
      const allowed = await caller.realm.auditExport(filterParams);
      scope = { kind: "realm", realmId: allowed.realmId };
      filter = allowed.filter;
    } else {
      // `realmId=platform` names the platform's own chain (the procedure's input takes realm ids).
      const { realmId, ...rest } = filterParams;
      const isPlatform = realmId === "platform";
      const allowed = await caller.operator.audit.export(isPlatform ? rest : filterParams);
      scope = { kind: "operator", chain: isPlatform ? null : allowed.chain };
      filter = { ...allowed.filter, realmId: isPlatform ? null : allowed.filter.realmId };
    }
    if (format !== "ndjson" && format !== "csv") {
      const message = "format must be ndjson or csv";
      throw new TRPCError({ code: "BAD_REQUEST", message, cause: new DomainError("bad_input", message, { field: "format" }) });
    }
  } catch (error) {
    return refusal(error, path, ctx, params);
  }
  const keys = auditKeys();
  const body = auditExportStream(
    clients,
    scope,
    { format, filter, filterParams, store: configuredCheckpointStore(), publicKeyRaw: keys.publicKeyRaw },
    signal,
  );
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const name = scope.kind === "realm" ? "realm" : scope.chain === null ? "platform" : scope.chain === "all" ? "all" : "realm";
  return {
    ok: true,
    response: new Response(body, {
      headers: {
        "content-type": CONTENT_TYPES[format],
        "content-disposition": `attachment; filename="audit-${name}-${stamp}.${format}"`,
        "cache-control": "no-store",
        "x-request-id": ctx.requestId,
      },
    }),
  };
}

/** The error as trpc-to-openapi's handler writes it (the same error formatter), for handleRest's problem answer. */
function refusal(cause: unknown, path: string, ctx: Context, input: unknown): ExportAnswer {
  const error = cause instanceof TRPCError ? cause : new TRPCError({ code: "INTERNAL_SERVER_ERROR", cause });
  const shape = getErrorShape({ config: appRouter._def._config, error, type: "query", path, input, ctx });
  const headers = new Headers();
  const retryAfter = (error.cause as { details?: { retryAfter?: unknown } } | undefined)?.details?.retryAfter;
  if (typeof retryAfter === "number") headers.set("retry-after", String(retryAfter));
  return { ok: false, status: getHTTPStatusCodeFromError(error), headers, body: JSON.stringify({ ...shape, code: error.code }) };
}
