import type { Metadata } from "next";
import { headers } from "next/headers";
import { ApiReference } from "@/components/api-reference/api-reference";
import { scalarVersion } from "./scalar-bundle";

export const dynamic = "force-dynamic";

export const metadata: Metadata = { title: "API reference" };

/**
 * The REST API's reference, rendered in the browser by Scalar from /api/openapi.json. The
 * script comes from this origin and runs under the page's CSP nonce (proxy.ts).
 */
export default async function ApiReferencePage() {
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  return <ApiReference scriptSrc={`/api-reference/scalar.js?v=${encodeURIComponent(await scalarVersion())}`} nonce={nonce} />;
}
