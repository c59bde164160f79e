import { openApiJson } from "@/server/api/openapi";

export const dynamic = "force-dynamic";

/** The OpenAPI 3.1 document of /api/v1, generated from the router (server/api/openapi.ts), serialised once. */
export function GET(req: Request): Response {
  const base = process.env.NEXTAUTH_URL ?? new URL(req.url).origin;
  return new Response(openApiJson(base.replace(/\/$/, "")), { headers: { "content-type": "application/json", "cache-control": "no-cache" } });
}
