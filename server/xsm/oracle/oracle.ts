import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Driver for the libsepol oracle (sepol-oracle.c): builds it with gcc against the static
 * libsepol.a, compiles a policy with Debian's checkpolicy for the Xen target, and streams
 * queries to it in batches. Test-only: the engine never depends on any of this.
 */

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, "../../../..");
export const ORACLE_SOURCE = path.join(here, "sepol-oracle.c");
export const LIBSEPOL_A = "/usr/lib/x86_64-linux-gnu/libsepol.a";
const CACHE_DIR = path.join(repoRoot, "node_modules", ".cache", "realmgate-oracle");

function which(cmd: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${cmd}`], { encoding: "utf8" }).status === 0;
}

/** Fails with an actionable message when the SELinux toolchain is missing (CI installs it). */
export function requireOracleTools(): void {
  const missing: string[] = [];
  if (!which("checkpolicy")) missing.push("checkpolicy (apt-get install checkpolicy)");
  if (!which("gcc")) missing.push("gcc (apt-get install gcc)");
  if (!existsSync(LIBSEPOL_A)) missing.push(`${LIBSEPOL_A} (apt-get install libsepol-dev)`);
  if (missing.length) {
    throw new Error(`The libsepol differential test needs: ${missing.join(", ")}. It does not skip.`);
  }
}

/** Compiles sepol-oracle.c when the cached binary is missing or older than the source. */
export function buildOracle(): string {
  requireOracleTools();
  mkdirSync(CACHE_DIR, { recursive: true });
  const bin = path.join(CACHE_DIR, "sepol-oracle");
  if (existsSync(bin) && statSync(bin).mtimeMs >= statSync(ORACLE_SOURCE).mtimeMs) return bin;
  const r = spawnSync("gcc", ["-O2", "-Wall", "-o", bin, ORACLE_SOURCE, LIBSEPOL_A], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`gcc failed building the oracle:\n${r.stderr}`);
  return bin;
}

/**
 * checkpolicy [-M] -t xen -c 30; -M (MLS) when the policy declares sensitivities, as Xen's
 * build passes it only with CONFIG_MLS. The output is cached by the source's hash.
 */
export function compileBinaryPolicy(policyPath: string): string {
  requireOracleTools();
  mkdirSync(CACHE_DIR, { recursive: true });
  const text = readFileSync(policyPath, "utf8");
  const mls = /^[ \t]*sensitivity[ \t]/m.test(text);
  const digest = createHash("sha256").update(text).update(mls ? "-M" : "").digest("hex").slice(0, 16);
  const out = path.join(CACHE_DIR, `policy-${digest}.bin`);
  if (existsSync(out)) return out;
  const args = [...(mls ? ["-M"] : []), "-t", "xen", "-c", "30", policyPath, "-o", out];
  const r = spawnSync("checkpolicy", args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`checkpolicy rejected ${policyPath}:\n${r.stdout}${r.stderr}`);
  return out;
}

export class SepolOracle {
  private buffer = "";
  private lines: string[] = [];
  private waiter?: () => void;
  private exited?: string;

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      this.buffer += chunk;
      const parts = this.buffer.split("\n");
      this.buffer = parts.pop() ?? "";
      for (const p of parts) this.lines.push(p);
      this.waiter?.();
    });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("exit", (code) => {
      this.exited = `oracle exited with ${code}: ${stderr}`;
      this.waiter?.();
    });
  }

  static async start(policyBin: string): Promise<SepolOracle> {
    const child = spawn(buildOracle(), [policyBin], { stdio: ["pipe", "pipe", "pipe"] });
    const oracle = new SepolOracle(child);
    const [ready] = await oracle.take(1);
    if (ready !== "ready") throw new Error(`oracle did not start: ${ready}`);
    return oracle;
  }

  private async take(n: number): Promise<string[]> {
    while (this.lines.length < n) {
      if (this.exited) throw new Error(this.exited);
      await new Promise<void>((resolve) => (this.waiter = resolve));
      this.waiter = undefined;
    }
    return this.lines.splice(0, n);
  }

  /** Sends queries (one per line, no newlines inside) and returns one answer per query. */
  async ask(queries: readonly string[], batch = 4096): Promise<string[]> {
    const answers: string[] = [];
    for (let i = 0; i < queries.length; i += batch) {
      const chunk = queries.slice(i, i + batch);
      this.child.stdin.write(chunk.join("\n") + "\nsync\n");
      const got = await this.take(chunk.length + 1);
      if (got[got.length - 1] !== "synced") throw new Error(`oracle out of step: ${got[got.length - 1]}`);
      answers.push(...got.slice(0, -1));
    }
    return answers;
  }

  close(): void {
    this.child.stdin.end();
  }
}
