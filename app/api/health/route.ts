export const dynamic = "force-dynamic";

/**
 * Liveness: the web process answers (for a load balancer or a supervisor). Touches no database
 * and no session, so it is also the floor of what a Next.js route costs (bench/lifecycle.bench.ts).
 */
export function GET(): Response {
  return Response.json({ status: "ok" }, { headers: { "cache-control": "no-store" } });
}
