import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { DecisionComparisonReply, FlaskPolicyLoad } from "../contracts/agent";
import { HypercallError, canaryQueries, compareDecisions, compilePolicyBytes, policySha256, scratchServer } from "../xen";
import { REALM_POLICY_PATH, SecurityServer, XsmError } from "../xsm";
import { writeDurably } from "./host-store";

/**
 * The FLASK policy this host runs, as dom0 administers it (`xl loadpolicy`, `xl setbool`).
 *
 * Threat: a policy load replaces the hypervisor's whole access-control layer. The agent loads
 * only bytes whose sha256 is the one the control plane recorded for the version (a corrupted
 * or substituted body is refused), only after every live domain's labels proved valid under
 * the new policy (else a running domain would be left with a label the policy does not know),
 * and atomically (SecurityServer.load: any failure leaves the old policy in force). The
 * toolstack runs the `security load_policy` / `setbool` checks before calling in here.
 *
 * The policy and boolean values are host configuration: kept in `flask-policy.json` in the
 * host's state directory (written durably before the agent answers) and loaded at boot, so a
 * restarted agent reports the same hash. Without one the host boots the built-in realm policy.
 */

type Persisted = { fileName: string; sha256: string; bytes: string; booleans: Record<string, boolean> };

const asHypercallError = (error: unknown): never => {
  if (error instanceof XsmError) throw new HypercallError("EINVAL", error.message);
  throw error;
};

export class FlaskPolicyHost {
  private constructor(
    readonly server: SecurityServer,
    private current: { fileName: string; sha256: string; bytes: Buffer },
    private readonly file: string | null,
  ) {}

  /** The persisted policy of `stateDir` (with its booleans), else the built-in realm policy. */
  static open(stateDir: string | null): FlaskPolicyHost {
    const file = stateDir ? path.join(stateDir, "flask-policy.json") : null;
    if (file && existsSync(file)) {
      const saved = JSON.parse(readFileSync(file, "utf8")) as Persisted;
      const bytes = Buffer.from(saved.bytes, "base64");
      const server = new SecurityServer(compilePolicyBytes(bytes, saved.fileName));
      for (const [name, value] of Object.entries(saved.booleans)) if (server.policy.boolByName.has(name)) server.setBool(name, value);
      return new FlaskPolicyHost(server, { fileName: saved.fileName, sha256: policySha256(bytes), bytes }, file);
    }
    const bytes = readFileSync(REALM_POLICY_PATH);
    const fileName = path.basename(REALM_POLICY_PATH);
    return new FlaskPolicyHost(new SecurityServer(compilePolicyBytes(bytes, fileName)), { fileName, sha256: policySha256(bytes), bytes }, file);
  }

  info(): { sha256: string; fileName: string } {
    return { sha256: this.current.sha256, fileName: this.current.fileName };
  }

  booleans(): Record<string, boolean> {
    return this.server.bools();
  }

  /**
   * Loads a new policy: verifies the hash, compiles, proves every live label valid, compares
   * decisions old vs new on the golden cases and the host's label pairs, then swaps and saves.
   * Throws HypercallError (EINVAL) and changes nothing when any step fails.
   */
  load(request: FlaskPolicyLoad, liveLabels: readonly string[]): DecisionComparisonReply {
    const bytes = Buffer.from(request.bytes, "base64");
    const sha256 = policySha256(bytes);
    if (sha256 !== request.sha256) throw new HypercallError("EINVAL", `policy bytes hash to ${sha256}, not the ${request.sha256} requested`);
    try {
      const policy = compilePolicyBytes(bytes, request.fileName);
      const next = scratchServer(policy, this.server.bools());
      for (const label of new Set(liveLabels)) {
        try {
          next.contextToSid(label);
        } catch (error) {
          throw new HypercallError("EINVAL", `a live domain's label ${label} is invalid under the new policy: ${(error as Error).message}`);
        }
      }
      const before = scratchServer(this.server.policy, this.server.bools());
      const comparison = compareDecisions(before, next, canaryQueries(liveLabels));
      this.server.load(policy);
      this.current = { fileName: request.fileName, sha256, bytes };
      this.save();
      return comparison;
    } catch (error) {
      return asHypercallError(error);
    }
  }

  setBool(name: string, value: boolean): void {
    try {
      this.server.setBool(name, value);
    } catch (error) {
      if (error instanceof XsmError) throw new HypercallError("ENOENT", error.message);
      throw error;
    }
    this.save();
  }

  private save(): void {
    if (!this.file) return;
    const saved: Persisted = { fileName: this.current.fileName, sha256: this.current.sha256, bytes: this.current.bytes.toString("base64"), booleans: this.server.bools() };
    writeDurably(this.file, JSON.stringify(saved));
  }
}
