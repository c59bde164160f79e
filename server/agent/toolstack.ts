import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { DomainInfo, DomainRequest, DomainResult } from "../contracts/agent";
import { DOM0_LABEL } from "../contracts/labels";
import { HypercallError, Hypervisor, type Domain, type HypervisorSnapshot } from "./xen/hypervisor";
import type { SecurityModule } from "./xen/security";

/**
 * dom0's toolstack: turns agent requests into hypercalls with the realm's management domain as
 * the XSM subject, applies each idempotency key at most once (a retried delivery returns the
 * stored result), and persists the hypervisor's state so an agent restart re-reads it (the
 * hypervisor keeps running while its toolstack restarts).
 */

const MAX_REMEMBERED_KEYS = 10_000;

type Persisted = { hypervisor: HypervisorSnapshot; applied: [string, DomainResult][] };

export class Toolstack {
  private readonly hv: Hypervisor;
  private readonly applied: Map<string, DomainResult>;
  private readonly stateFile: string;

  constructor(
    xsm: SecurityModule,
    private readonly stateDir: string,
  ) {
    mkdirSync(stateDir, { recursive: true });
    this.stateFile = path.join(stateDir, "host-state.json");
    const persisted = this.load();
    this.hv = new Hypervisor(xsm, persisted?.hypervisor ?? { bootId: randomUUID(), nextDomid: 1, domains: [] });
    this.applied = new Map(persisted?.applied ?? []);
  }

  get bootId(): string {
    return this.hv.bootId;
  }

  private load(): Persisted | null {
    if (!existsSync(this.stateFile)) return null;
    return JSON.parse(readFileSync(this.stateFile, "utf8")) as Persisted;
  }

  private persist(): void {
    const data: Persisted = { hypervisor: this.hv.snapshot(), applied: [...this.applied.entries()] };
    const tmp = `${this.stateFile}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(data));
    renameSync(tmp, this.stateFile); // atomic: a crash leaves the old or the new state, never half
  }

  apply(request: DomainRequest): DomainResult {
    const previous = this.applied.get(request.idempotencyKey);
    if (previous) return { ...previous, replayed: true };
    const result = this.execute(request);
    this.applied.set(request.idempotencyKey, result);
    if (this.applied.size > MAX_REMEMBERED_KEYS) this.applied.delete(this.applied.keys().next().value!);
    this.persist();
    return result;
  }

  private execute(request: DomainRequest): DomainResult {
    const subject = request.subjectLabel;
    this.hv.drainAvc();
    try {
      const domain = this.run(subject, request);
      return { ok: true, domain: domain && toInfo(domain), avc: this.hv.drainAvc(), replayed: false };
    } catch (error) {
      if (!(error instanceof HypercallError)) throw error;
      return {
        ok: false,
        error: { code: error.code, message: error.message },
        domain: null,
        avc: this.hv.drainAvc(),
        replayed: false,
      };
    }
  }

  private run(subject: string, request: DomainRequest): Domain | null {
    const { vm } = request;
    if (request.action === "create") {
      return this.hv.createDomain(subject, { uuid: vm.uuid, name: vm.name, label: vm.label, vcpus: vm.vcpus, memoryMb: vm.memoryMb });
    }
    const existing = this.hv.findByUuid(vm.uuid);
    if (!existing) throw new HypercallError("ENOENT", `no domain for VM ${vm.uuid} on this host`);
    switch (request.action) {
      case "start":
        return this.hv.unpause(subject, existing.domid);
      case "stop":
        return this.hv.shutdown(subject, existing.domid);
      case "destroy":
        this.hv.destroy(subject, existing.domid);
        return null;
    }
  }

  /** What dom0 sees: every domain (dom0 may getdomaininfo on all). */
  status(): DomainInfo[] {
    return this.hv.list(DOM0_LABEL).map(toInfo);
  }
}

function toInfo(d: Domain): DomainInfo {
  return { domid: d.domid, uuid: d.uuid, name: d.name, label: d.label, state: d.state, vcpus: d.vcpus, memoryMb: d.memoryMb };
}
