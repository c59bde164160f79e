import type { AcmPolicy } from "./types";
import { DOM0_LABEL } from "../xsm";
import type { AcmModule, AcmWorld } from "./acm/module";
import { HypercallError } from "./errors";
import { acmGate, runChecks, subjectOf, type HostCtx, type HostOptions } from "./host-context";
import type { SecurityModule } from "./security";
import { bootState, type HostState } from "./state";

/**
 * A simulated Xen host: the pure core. Holds the host state, the security modules (XSM/FLASK
 * and the ACM) and runs each operation as a transaction: the hook works on a copy of the
 * state, which replaces the state only if the hook returns. A refused operation (XSM, ACM or
 * errno) therefore leaves the host exactly as it was, like Xen checking before acting and the
 * toolstack unwinding a half-built domain. No I/O, clock or randomness: the shell (toolstack)
 * supplies boot ids and persists snapshots.
 */

export type HypervisorConfig = {
  acmModule: AcmModule;
  acmPolicy: AcmPolicy;
  options: HostOptions;
};

export class Hypervisor {
  private state: HostState;
  private acmPolicy: AcmPolicy;
  private avcBuffer: string[] = [];

  constructor(
    private readonly xsm: SecurityModule,
    private readonly config: HypervisorConfig,
    snapshot: HostState | { bootId: string },
  ) {
    this.acmPolicy = config.acmPolicy;
    this.state = "domains" in snapshot ? structuredClone(snapshot) : this.boot(snapshot.bootId);
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

  get enforcing(): boolean {
    return this.xsm.isEnforcing();
  }

  snapshot(): HostState {
    return structuredClone(this.state);
  }

  drainAvc(): string[] {
    const lines = this.avcBuffer;
    this.avcBuffer = [];
    return lines;
  }

  /** Runs one operation as a transaction; its AVC lines are kept for drainAvc() either way. */
  run<T>(operation: (ctx: HostCtx) => T): T {
    const ctx: HostCtx = {
      state: structuredClone(this.state),
      xsm: this.xsm,
      acm: { module: this.config.acmModule, policy: this.acmPolicy },
      options: this.config.options,
      avc: [],
    };
    try {
      const result = operation(ctx);
      this.state = ctx.state;
      return result;
    } finally {
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
      const next: HostCtx = { ...ctx, acm: { module: this.config.acmModule, policy } };
      acmGate(next, { kind: "reload", world: world(ctx.state) });
      ctx.state = next.state;
    });
    this.acmPolicy = policy;
  }

  /** A simulated host crash: everything in memory is gone; the host boots again with only dom0. */
  crash(newBootId: string): void {
    if (newBootId === this.state.bootId) throw new HypercallError("EINVAL", "a reboot needs a new boot id");
    this.state = this.boot(newBootId);
  }
}

/** What a policy reload must re-validate, from the host state. */
function world(s: HostState): AcmWorld {
  const labelOf = (domid: number) => s.domains.find((d) => d.domid === domid)?.label ?? "";
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
