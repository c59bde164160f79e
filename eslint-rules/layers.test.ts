import path from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

/** The boundaries README "Layout" states, checked through the project's own lint config. */

const root = path.resolve(import.meta.dirname, "..");
const eslint = new ESLint({ cwd: root });

async function problems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result!.messages.filter((m) => m.ruleId === "realmgate/layers" || m.ruleId === "no-restricted-syntax").map((m) => m.message);
}

describe("import boundaries", () => {
  it.each([
    ["server/services/x.ts", 'import { toTRPCError } from "../api/errors";\nexport const x = toTRPCError;', /server\/services may not import server\/api/],
    ["server/repositories/x.ts", 'import { enqueue } from "../services/lifecycle";\nexport const x = enqueue;', /server\/repositories may not import server\/services/],
    ["server/agent/x.ts", 'import { platformDb } from "../db/client";\nexport const x = platformDb;', /server\/agent may not import server\/db/],
    ["server/xen/x.ts", 'import type { DomainRequest } from "../contracts/agent";\nexport type X = DomainRequest;', /server\/xen may not import server\/contracts/],
    ["server/policy/x.ts", 'import { recordDecision } from "../repositories/audit";\nexport const x = recordDecision;', /server\/policy may not import server\/repositories/],
    ["server/cli/x.ts", 'import { appRouter } from "../api/root";\nexport const x = appRouter;', /server\/cli may not import server\/api/],
    ["bench/x.ts", 'import { compilePolicy } from "../server/xsm/compile";\nexport const x = compilePolicy;', /through its index/],
    ["server/api/x.test.ts", 'import { OPERATIONS } from "../xen/operations";\nexport const x = OPERATIONS;', /through its index/],
  ])("refuses %s: %s", async (file, code, message) => {
    expect(await problems(file, code)).toEqual([expect.stringMatching(message)]);
  });

  it.each([
    ["server/services/x.ts", 'import { recordDecision } from "../repositories/audit";\nexport const x = recordDecision;'],
    ["server/xen/x.ts", 'import { DOM0_LABEL } from "../xsm";\nexport const x = DOM0_LABEL;'],
    ["server/xen/x.ts", 'import { runChecks } from "./host-context";\nexport const x = runChecks;'],
    ["bench/x.ts", 'import { compilePolicy } from "../server/xsm";\nexport const x = compilePolicy;'],
    ["server/api/x.test.ts", 'import { unsafeListHosts } from "../repositories/hosts";\nexport const x = unsafeListHosts;'],
  ])("allows %s: %s", async (file, code) => {
    expect(await problems(file, code)).toEqual([]);
  });
});

describe("queries only in repositories", () => {
  const query = 'import type { Db } from "../db/client";\nexport const q = (db: Db) => db.vm.findMany();\nexport const t = (db: Db) => db.$transaction(async () => 1);';

  it.each(["server/services/x.ts", "server/api/routers/x.ts", "server/worker/x.ts", "prisma/x.ts"])("refuses a Prisma query in %s", async (file) => {
    expect(await problems(file, query)).toEqual([expect.stringMatching(/queries live in server\/repositories/), expect.stringMatching(/queries live in server\/repositories/)]);
  });

  it("allows one in server/repositories", async () => {
    expect(await problems("server/repositories/x.ts", query)).toEqual([]);
  });

  it("does not mistake a tRPC client call for a query", async () => {
    expect(await problems("components/x.tsx", "export const f = (trpc: any) => trpc.vm.create.mutationOptions();")).toEqual([]);
  });
});
