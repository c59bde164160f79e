import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));
const alias = { "@": root };

// Two layers: pure unit tests (no I/O beyond the file system) and integration tests that start
// real PostgreSQL servers, agent processes or libsepol. `*.int.test.ts` marks the latter.
export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["server/**/*.test.ts", "components/**/*.test.ts", "scripts/**/*.test.ts", "eslint-rules/**/*.test.ts"],
          exclude: ["**/*.int.test.ts", "node_modules/**"],
          environment: "node",
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["server/**/*.int.test.ts", "prisma/**/*.int.test.ts", "scripts/**/*.int.test.ts"],
          exclude: ["node_modules/**"],
          environment: "node",
          globalSetup: ["./server/test/global-setup.ts"],
          // The audit key every record is signed with (server/audit-chain/keys.ts); the test
          // helpers pass it on to the worker processes they start.
          env: {
            REALMGATE_AUDIT_SECRET: "integration-test-audit-secret-not-for-production",
            REALMGATE_AUDIT_CHECKPOINT_DIR: path.join(os.tmpdir(), "realmgate-it-audit-checkpoints"),
          },
          testTimeout: 120_000,
          hookTimeout: 120_000,
          maxWorkers: 2,
        },
      },
    ],
  },
});
