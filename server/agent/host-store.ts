import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { DomainResult, HypercallResult } from "../contracts/agent";
import type { HostState } from "../xen";

/**
 * The toolstack's files in the host's state directory. host-state.json is what survives an
 * agent restart (the hypervisor keeps running while dom0's toolstack restarts); a simulated
 * crash overwrites it with a freshly booted host. Writes are atomic (write, then rename), so a
 * kill mid-write leaves the old or the new state, never half.
 */

export type AppliedResult = DomainResult | HypercallResult;
export type Persisted = { hypervisor: HostState; applied: [string, AppliedResult][] };

/** The state file of the first agent version: domains only, without derived labels. */
type LegacyPersisted = {
  hypervisor: { bootId: string; nextDomid: number; domains: { domid: number; label: string; history: string[] }[] };
  applied: [string, AppliedResult][];
};

function writeAtomic(file: string, data: unknown): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(data));
  renameSync(tmp, file);
}

export class HostStore {
  readonly stateFile: string;
  readonly acmPolicyFile: string;

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    this.stateFile = path.join(dir, "host-state.json");
    this.acmPolicyFile = path.join(dir, "acm-policy.json");
  }

  /** null on a fresh host; legacy files are returned as-is for the toolstack to upgrade. */
  load(): Persisted | LegacyPersisted | null {
    if (!existsSync(this.stateFile)) return null;
    return JSON.parse(readFileSync(this.stateFile, "utf8")) as Persisted | LegacyPersisted;
  }

  save(data: Persisted): void {
    writeAtomic(this.stateFile, data);
  }

  /** The ACM policy last loaded through PUT /v1/acm: host configuration, kept across crashes. */
  loadAcmPolicy(): unknown {
    return existsSync(this.acmPolicyFile) ? JSON.parse(readFileSync(this.acmPolicyFile, "utf8")) : null;
  }

  saveAcmPolicy(policy: unknown): void {
    writeAtomic(this.acmPolicyFile, policy);
  }
}

export function upgradeNeeded(p: Persisted | LegacyPersisted): LegacyPersisted | null {
  return "channels" in p.hypervisor ? null : (p as LegacyPersisted);
}
