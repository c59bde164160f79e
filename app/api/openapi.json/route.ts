import { openApiDocument } from "@/server/api/openapi";

export const dynamic = "force-dynamic";

/** The OpenAPI 3.1 document of /api/v1, generated from the router (server/api/openapi.ts). */
export function GET(req: Request): Response {
  const base = process.env.NEXTAUTH_URL ?? new URL(req.url).origin;
  return Response.json(openApiDocument(base.replace(/\/$/, "")), { headers: { "cache-control": "no-cache" } });
}
