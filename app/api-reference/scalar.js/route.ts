import { scalarBundle } from "../scalar-bundle";

export const dynamic = "force-dynamic";

/**
 * The API reference's script (scalar-bundle.ts). Its URL carries the package version (?v=), so
 * browsers may keep it a year.
 */
export async function GET(): Promise<Response> {
  const body = new Uint8Array(await scalarBundle());
  return new Response(body, {
    headers: {
      "content-type": "text/javascript; charset=utf-8",
      "cache-control": "public, max-age=31536000, immutable",
    },
  });
}
