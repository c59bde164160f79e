import tseslint from "typescript-eslint";

/**
 * Lint: typescript-eslint's recommended rules, plus the process boundaries of the design:
 * the host agent imports nothing from the web tier or the database (it holds only its host's
 * secret), and only repositories, services, the worker and tests talk to Prisma.
 */
export default tseslint.config(
  {
    ignores: ["node_modules/", ".next/", ".data/", ".scratch/", "server/generated/", "e2e/artifacts/", "next-env.d.ts", "**/*.c"],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
    },
  },
  {
    files: ["server/agent/**/*.ts"],
    ignores: ["server/agent/**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["**/api/*", "**/db/*", "**/auth/*", "**/repositories/*", "**/services/*", "**/worker/*", "**/generated/**"], message: "The host agent is its own process: it must not reach the web tier or the database." },
          ],
        },
      ],
    },
  },
  {
    files: ["app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}"],
    ignores: ["app/api/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["**/generated/prisma/**", "**/db/client"], message: "Pages and components go through tRPC procedures, never the database." }] },
      ],
    },
  },
);
