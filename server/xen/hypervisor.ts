import type { AcmPolicy } from "./types";
import { DOM0_LABEL } from "../xsm";
import type { AcmModule, AcmWorld } from "./acm/module";
import { HypercallError } from "./errors";
import { acmGate, runChecks, subjectOf, type HostCtx, type HostOptions } from "./host-context";
import type { SecurityModule } from "./security";
import { HostTables, bootState, type HostState } from "./state";
import { Transaction, type Change } from "./tables";

/**
 * A simulated Xen host: the pure core. Holds the host state, the security modules (XSM/FLASK
 * and the ACM) and runs each operation as a transaction: the hook writes rows of the live
 * tables (state.ts) through the transaction, which keeps each touched row's previous value;
 * a hook that throws has its writes undone in reverse order. A refused operation (XSM, ACM or
 * errno) therefore leaves the host exactly as it was, like Xen checking before acting and the
 * toolstack unwinding a half-built domain — at the cost of the rows it touched, not of a copy
 * of the host. No I/O, clock or randomness: the shell (toolstack) supplies boot ids and
 * persists the committed change sets (`takeChanges`).
 */

export type HypervisorConfig = {
  acmModule: AcmModule;
  acmPolicy: AcmPolicy;
  options: HostOptions;
};

export class Hypervisor {
  private state: HostTables;
  private acmPolicy: AcmPolicy;
  private avcBuffer: string[] = [];
  private committed: Change[] = [];

  constructor(
    private readonly xsm: SecurityModule,
    private readonly config: HypervisorConfig,
    snapshot: HostState | { bootId: string },
  ) {
    this.acmPolicy = config.acmPolicy;
    this.state = HostTables.fromSnapshot("domains" in snapshot ? snapshot : this.boot(snapshot.bootId));
  }

  private boot(bootId: string): HostState {
    return bootState(bootId, this.xsm.selfLabel(this.xsm.canonical(DOM0_LABEL)));
  }

  get bootId(): string {
    return this.state.bootId;
  }

  get acm(): { module: string; policy: string } {
    return { module: this.config.acmModule.name, policy: this.acmPolicy.name };
  }

  get domainCount(): number {
    return this.state.domains.size;
  }

  get enforcing(): boolean {
    return this.xsm.isEnforcing();
  }

  /** The whole host as plain data (costs the host's size: for status pages, tests and compaction). */
  snapshot(): HostState {
    return this.state.toSnapshot();
  }

  drainAvc(): string[] {
    const lines = this.avcBuffer;
    this.avcBuffer = [];
    return lines;
  }

  /** The row changes of the operations committed since the last call, in order (for the toolstack's journal). */
  takeChanges(): Change[] {
    const changes = this.committed;
    this.committed = [];
    return changes;
  }

  /** Re-applies journaled changes (the toolstack loading its journal): no checks, nothing recorded. */
  replay(changes: readonly Change[]): void {
    this.state.replay(changes);
  }

  /** Runs one operation as a transaction; its AVC lines are kept for drainAvc() either way. */
  run<T>(operation: (ctx: HostCtx) => T): T {
    if (this.state.journal.tx) throw new Error("Hypervisor.run is not reentrant");
    const tx = new Transaction();
    this.state.journal.tx = tx;
    const ctx: HostCtx = {
      state: this.state,
      xsm: this.xsm,
      acm: { module: this.config.acmModule, policy: this.acmPolicy },
      options: this.config.options,
      avc: [],
    };
    try {
      const result = operation(ctx);
      this.committed.push(...tx.changeSet());
      return result;
    } catch (error) {
      tx.rollback();
      throw error;
    } finally {
      this.state.journal.tx = null;
      this.avcBuffer.push(...ctx.avc);
    }
  }

  /**
   * Loads a new ACM policy: dom0's `security load_policy`, then the module replays the running
   * domains and every current channel, grant and device use under the new policy. Refused on
   * any conflict — and then neither the policy nor the counters change.
   */
  loadAcmPolicy(subjectLabel: string, policy: AcmPolicy): void {
    this.run((ctx) => {
      runChecks(ctx, "acm.load", { subject: subjectOf(ctx, subjectLabel) });
      acmGate({ ...ctx, acm: { module: this.config.acmModule, policy } }, { kind: "reload", world: world(ctx.state.toSnapshot()) });
    });
    this.acmPolicy = policy;
  }

  /** A simulated host crash: everything in memory is gone; the host boots again with only dom0 (and its saved domains). */
  crash(newBootId: string): void {
    if (newBootId === this.state.bootId) throw new HypercallError("EINVAL", "a reboot needs a new boot id");
    // Saved domains are files on dom0's disk, not memory: they outlive the crash.
    const saved = [...this.state.snapshots.rows()];
    this.state = HostTables.fromSnapshot({ ...this.boot(newBootId), ...(saved.length > 0 ? { snapshots: saved } : {}) });
    this.committed = [];
  }
}

/** What a policy reload must re-validate, from the host state (a whole-host walk: reloads are rare). */
function world(s: HostState): AcmWorld {
  const labels = new Map(s.domains.map((d) => [d.domid, d.label]));
  const labelOf = (domid: number) => labels.get(domid) ?? "";
  const ref = (domid: number) => ({ domid, label: labelOf(domid) });
  const admitted = s.domains
    .filter((d) => d.domid !== 0 && (s.acm.chineseWall.admitted[String(d.domid)] || d.state === "running" || d.state === "paused"))
    .map((d) => ref(d.domid));
  const shares: AcmWorld["shares"] = [];
  for (const c of s.channels) {
    if (c.domid === c.remoteDomid || (c.state === "interdomain" && c.remoteDomid < c.domid)) continue;
    shares.push({ a: ref(c.domid), b: ref(c.remoteDomid), via: "event channel" });
  }
  for (const m of s.mappings) shares.push({ a: ref(m.mapperDomid), b: ref(m.granterDomid), via: "grant" });
  const uses = s.devices.map((d) => ({
    domain: ref(d.domid),
    resource: { id: d.resourceId, label: d.label, what: d.kind === "vbd" ? ("block device" as const) : ("network" as const) },
  }));
  return { admitted, shares, uses };
}
