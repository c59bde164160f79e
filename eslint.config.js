import tseslint from "typescript-eslint";
import layers from "./eslint-rules/layers.js";

/**
 * Lint: typescript-eslint's recommended rules, plus the layout's boundaries (README "Layout"):
 * - realmgate/layers: which folder may import which (layers run downward; the host agent
 *   reaches neither the web tier nor the database), and the engines only through their index;
 * - only repositories (and db/, which owns connections and transactions) run queries: anything
 *   else that calls a Prisma model method or raw SQL fails here.
 */

const MODELS = "user|organization|membership|realm|vm|disk|network|vmNetwork|host|template|operation|auditEvent|breakGlassGrant|realmConflict|idempotencyKey|session|signInThrottle";
const METHODS = "findMany|findFirst|findFirstOrThrow|findUnique|findUniqueOrThrow|create|createMany|createManyAndReturn|update|updateMany|updateManyAndReturn|upsert|delete|deleteMany|count|aggregate|groupBy";
const QUERIES_ONLY_IN_REPOSITORIES = "queries live in server/repositories (realm id first; unscoped ones named unsafe…)";

export default tseslint.config(
  {
    ignores: ["node_modules/", ".next/", ".data/", ".scratch/", "server/generated/", "e2e/artifacts/", "next-env.d.ts", "**/*.c"],
  },
  ...tseslint.configs.recommended,
  {
    plugins: { realmgate: { rules: { layers } } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "realmgate/layers": "error",
    },
  },
  {
    files: ["server/**/*.ts", "prisma/**/*.ts", "scripts/**/*.ts", "app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}"],
    ignores: ["server/repositories/**", "server/db/**", "server/test/**", "**/*.test.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        { selector: `CallExpression > MemberExpression.callee[object.type='MemberExpression'][object.property.name=/^(${MODELS})$/][property.name=/^(${METHODS})$/]`, message: QUERIES_ONLY_IN_REPOSITORIES },
        { selector: "MemberExpression[property.name=/^\\$(transaction|queryRaw|executeRaw|queryRawUnsafe|executeRawUnsafe)$/]", message: QUERIES_ONLY_IN_REPOSITORIES },
      ],
    },
  },
);
