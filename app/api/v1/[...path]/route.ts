import { cookies } from "next/headers";
import { handleRest } from "@/server/api/rest";
import { getSessionUser } from "@/server/auth/session";
import { platformDb, tenantDb } from "@/server/db/client";
import { poisonedCallbackCookies } from "@/server/edge/auth-urls";

export const dynamic = "force-dynamic";

/**
 * The REST surface (server/api/rest.ts): the tRPC procedures routed by their OpenAPI meta.
 * Bearer tokens need no cookie; a browser's session cookie works too (same-origin rules).
 */
async function handler(req: Request): Promise<Response> {
  return handleRest(req, {
    clients: { tenant: tenantDb(), platform: platformDb() },
    sessionUser: async () => {
      const jar = await cookies();
      const origin = new URL(req.url).origin;
      for (const name of poisonedCallbackCookies(jar.getAll(), process.env.NEXTAUTH_URL ?? origin)) jar.delete(name);
      return getSessionUser();
    },
  });
}

export { handler as GET, handler as POST, handler as PUT, handler as PATCH, handler as DELETE };
