import { randomUUID } from "node:crypto";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { createContext } from "@/server/api/context";
import { appRouter } from "@/server/api/root";
import { getSessionUser } from "@/server/auth/session";
import { platformDb, tenantDb } from "@/server/db/client";

export const dynamic = "force-dynamic";

/**
 * tRPC over HTTP. Threat: cross-site form posts riding the session cookie (tRPC 11 accepts form
 * bodies). A POST must be JSON: browsers cannot send that cross-site without a CORS preflight,
 * which this endpoint never grants.
 */
async function handler(req: Request): Promise<Response> {
  if (req.method === "POST" && !(req.headers.get("content-type") ?? "").startsWith("application/json")) {
    return Response.json({ error: { message: "content-type must be application/json" } }, { status: 415 });
  }
  const requestId = randomUUID();
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: async () => createContext({ tenant: tenantDb(), platform: platformDb() }, await getSessionUser(), requestId),
    responseMeta: () => ({ headers: new Headers({ "x-request-id": requestId }) }),
  });
}

export { handler as GET, handler as POST };
