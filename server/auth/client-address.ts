import { isIP } from "node:net";

/**
 * The client's address for sign-in throttling and the sessions list. Next's server puts the
 * connection's address in X-Forwarded-For when the request has none, and route handlers see
 * nothing else of the connection. Behind a reverse proxy (REALMGATE_TRUST_PROXY=1) the proxy
 * appends the address it saw, so the last entry is the one to believe. Without a trusted proxy
 * a client that sends its own X-Forwarded-For chooses this value: the per-account limit does
 * not depend on it, and production deployments run behind a proxy (README "Security model").
 */
export function clientAddress(headers: Headers): string | null {
  const forwarded = headers.get("x-forwarded-for");
  if (!forwarded) return null;
  const hops = forwarded
    .split(",")
    .map((hop) => hop.trim())
    .filter(Boolean);
  const address = process.env.REALMGATE_TRUST_PROXY === "1" ? hops.at(-1) : hops[0];
  return address ? address.slice(0, 64) : null;
}

/** The signing-in browser's user agent and address, from the request being handled (if any). */
export async function requestClientInfo(): Promise<{ userAgent: string | null; clientAddress: string | null }> {
  try {
    const { headers } = await import("next/headers");
    const h = await headers();
    return { userAgent: h.get("user-agent"), clientAddress: clientAddress(h) };
  } catch {
    // Outside a request (a script, a test): nothing to record.
    return { userAgent: null, clientAddress: null };
  }
}

/**
 * The address a request's TCP peer had, for checks a client must not be able to steer (an API
 * token's address range). Behind a trusted proxy that is the last hop the proxy appended;
 * without one the web server listens on loopback only (scripts/realmgate.ts), so every peer is
 * local, whatever X-Forwarded-For a client sends.
 */
export function peerAddress(headers: Headers): string {
  if (process.env.REALMGATE_TRUST_PROXY === "1") {
    const last = headers.get("x-forwarded-for")?.split(",").at(-1)?.trim();
    if (last && isIP(last)) return last;
  }
  return "127.0.0.1";
}
