import type { DomainInfo, DomainState } from "../../contracts/agent";
import { DOM0_LABEL, DOMXEN_LABEL } from "../../contracts/labels";
import type { AccessRequest, SecurityModule } from "./security";

/**
 * A simulated Xen host: domains with ids, labels and run states, dom0 a singleton, every
 * hypercall checked by the security module before it changes anything (Xen's order: check, then
 * act). State is a plain snapshot so the toolstack can persist and re-read it.
 */


export type Domain = DomainInfo & { history: string[] };

export type HypervisorSnapshot = { bootId: string; nextDomid: number; domains: Domain[] };

export class HypercallError extends Error {
  override name = "HypercallError";
  constructor(
    readonly code: "EACCES" | "ENOENT" | "EINVAL" | "EEXIST" | "EBUSY",
    message: string,
    readonly avc: string[] = [],
  ) {
    super(message);
  }
}

export class Hypervisor {
  private domains = new Map<number, Domain>();
  private nextDomid: number;
  readonly bootId: string;
  /** AVC lines produced since the caller last drained them. */
  private avcBuffer: string[] = [];

  constructor(
    private readonly xsm: SecurityModule,
    snapshot: HypervisorSnapshot,
  ) {
    this.bootId = snapshot.bootId;
    this.nextDomid = snapshot.nextDomid;
    for (const d of snapshot.domains) this.domains.set(d.domid, structuredClone(d));
    if (!this.domains.has(0)) {
      this.domains.set(0, {
        domid: 0,
        uuid: "00000000-0000-0000-0000-000000000000",
        name: "Domain-0",
        label: DOM0_LABEL,
        state: "running",
        vcpus: 1,
        memoryMb: 1024,
        history: ["boot"],
      });
    }
  }

  snapshot(): HypervisorSnapshot {
    return { bootId: this.bootId, nextDomid: this.nextDomid, domains: [...this.domains.values()].map((d) => structuredClone(d)) };
  }

  drainAvc(): string[] {
    const lines = this.avcBuffer;
    this.avcBuffer = [];
    return lines;
  }

  private check(request: AccessRequest): void {
    const decision = this.xsm.check(request);
    this.avcBuffer.push(...decision.avc);
    if (!decision.allowed) {
      throw new HypercallError(
        "EACCES",
        `XSM denied { ${request.perms.join(" ")} } on ${request.tclass} ${request.target}` +
          (decision.reason ? ` (${decision.reason})` : ""),
        decision.avc,
      );
    }
  }

  private domain(domid: number): Domain {
    const d = this.domains.get(domid);
    if (!d) throw new HypercallError("ENOENT", `no domain ${domid}`);
    return d;
  }

  findByUuid(uuid: string): Domain | undefined {
    return [...this.domains.values()].find((d) => d.uuid === uuid);
  }

  /** XEN_DOMCTL_createdomain and the toolstack's build sequence; the domain is built paused. */
  createDomain(subject: string, spec: { uuid: string; name: string; label: string; vcpus: number; memoryMb: number }): Domain {
    const invalid = this.xsm.validateLabel(spec.label);
    if (invalid) throw new HypercallError("EINVAL", `Invalid seclabel ${spec.label}: ${invalid}`);
    if (spec.label.split(":")[2] === "dom0_t") throw new HypercallError("EINVAL", "dom0_t is a singleton: a second dom0 cannot be created");
    if (this.findByUuid(spec.uuid)) throw new HypercallError("EEXIST", `a domain with uuid ${spec.uuid} exists`);
    const domid = this.nextDomid;
    const base = { subject, target: spec.label, tclass: "domain", targetDomid: domid } as const;
    this.check({ ...base, perms: ["create"] });
    this.check({ ...base, perms: ["max_vcpus", "setdomainmaxmem", "setvcpucontext", "getdomaininfo"] });
    this.nextDomid += 1;
    // Built but never unpaused: the toolstack reports it as stopped until its first unpause.
    const domain: Domain = { domid, uuid: spec.uuid, name: spec.name, label: spec.label, state: "stopped", vcpus: spec.vcpus, memoryMb: spec.memoryMb, history: ["create"] };
    this.domains.set(domid, domain);
    return domain;
  }

  private lifecycle(subject: string, domid: number, perm: string, from: DomainState[], to: DomainState, event: string): Domain {
    const d = this.domain(domid);
    if (domid === 0) throw new HypercallError("EINVAL", "dom0 cannot be controlled through the toolstack");
    this.check({ subject, target: d.label, tclass: "domain", perms: [perm], targetDomid: domid });
    if (!from.includes(d.state)) throw new HypercallError("EINVAL", `domain ${domid} is ${d.state}; ${event} needs ${from.join(" or ")}`);
    d.state = to;
    d.history.push(event);
    return d;
  }

  unpause(subject: string, domid: number): Domain {
    return this.lifecycle(subject, domid, "unpause", ["paused", "stopped"], "running", "unpause");
  }

  shutdown(subject: string, domid: number): Domain {
    return this.lifecycle(subject, domid, "shutdown", ["running", "paused"], "stopped", "shutdown");
  }

  destroy(subject: string, domid: number): void {
    const d = this.domain(domid);
    if (domid === 0) throw new HypercallError("EINVAL", "dom0 cannot be destroyed");
    this.check({ subject, target: d.label, tclass: "domain", perms: ["destroy"], targetDomid: domid });
    this.domains.delete(domid);
  }

  /** getdomaininfo over all domains, filtered silently by what the subject may see. */
  list(subject: string): Domain[] {
    this.check({ subject, target: DOMXEN_LABEL, tclass: "domain", perms: ["getdomaininfo"] });
    return [...this.domains.values()].filter(
      (d) => this.xsm.check({ subject, target: d.label, tclass: "domain", perms: ["getdomaininfo"], targetDomid: d.domid }).allowed,
    );
  }
}
