import { serverCaller, isNotFound, isUnauthorized } from "@/server/api/server-caller";

export const dynamic = "force-dynamic";

/**
 * An organization's whole audit trail as NDJSON (one record a line, oldest first), streamed page
 * by page through the operator procedure (operators only: anyone else gets 404, as for every
 * operator page). It works after decommissioning: the trail outlives the realm.
 */
export async function GET(_req: Request, { params }: { params: Promise<{ orgId: string }> }): Promise<Response> {
  const { orgId } = await params;
  const caller = await serverCaller();
  let first;
  try {
    first = await caller.operator.organizations.auditPage({ orgId });
  } catch (error) {
    if (isUnauthorized(error)) return Response.json({ error: { message: "sign in first" } }, { status: 401 });
    if (isNotFound(error) || (error as { code?: string }).code === "BAD_REQUEST") return Response.json({ error: { message: "not found" } }, { status: 404 });
    throw error;
  }
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      let page = first;
      for (;;) {
        if (page.rows.length) controller.enqueue(encoder.encode(page.rows.map((r) => JSON.stringify(r)).join("\n") + "\n"));
        if (page.done) break;
        page = await caller.operator.organizations.auditPage({ orgId, afterId: page.rows.at(-1)!.id });
      }
      controller.close();
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "application/x-ndjson; charset=utf-8",
      "content-disposition": `attachment; filename="${first.slug}-audit.ndjson"`,
      "cache-control": "no-store",
    },
  });
}
